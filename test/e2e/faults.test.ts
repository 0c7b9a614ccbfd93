import { describe, expect, it } from "vitest";
import { pullRequestOpened } from "../../tools/github-stand-in/index.js";
import { E2E_TIMEOUT_MS, endToEndFile, withShop, type Shop } from "./app-fixture.js";

// GitHub failing under the real server: Octokit's retry plugin (5xx: after 1, 4 and 9 s) and
// throttling plugin (403 secondary rate limit: after retry-after) as `npm start` configures them.
endToEndFile();
const VERDICT = "Failed: 1 blocking finding, 5 approval requirements unmet (4 mesh changes)";
const TREES = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
const COMPARE = "GET /repos/{owner}/{repo}/compare/{basehead}";

/** Opens the pull request: the delivery is answered once queued, whatever GitHub's state. */
async function open(shop: Shop): Promise<void> {
  const delivered = await shop.app.deliver("pull_request.opened", await pullRequestOpened(shop.standIn, shop.pull));
  expect(delivered).toMatchObject({ status: 200, body: "queued\n" });
}

describe("GitHub failing, end to end", () => {
  it.concurrent("502s are retried and the check completes with the verdict", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn } = shop;
      standIn.inject(TREES, { kind: "server-error", times: 2 });
      standIn.inject("POST /graphql", { kind: "server-error", times: 1 });
      standIn.inject("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", { kind: "server-error", times: 1 });
      await open(shop);
      const run = await app.waitForCheck({ sha: await shop.sha("pr") });

      expect(standIn.calls.filter((c) => c.fault === "server-error").map((c) => c.status)).toEqual([502, 502, 502, 502]);
      expect(run).toMatchObject({ conclusion: "failure", output: { title: VERDICT } });
      await shop.waitForReport(VERDICT);
      expect(shop.reports()).toHaveLength(1);
    }),
  );

  it.concurrent("a permanent failure completes the check as could not evaluate, never leaves it in progress", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn } = shop;
      // The one compare call of an evaluation: a single failing request waits out 1 + 4 + 9 s of retries.
      standIn.inject(COMPARE, { kind: "server-error", times: 1000 });
      await open(shop);
      const run = await app.waitForCheck({ sha: await shop.sha("pr"), timeoutMs: 40_000 });

      expect(standIn.calls.filter((c) => c.route === COMPARE).map((c) => c.status)).toEqual([502, 502, 502, 502]);
      expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "could not evaluate" } });
      expect(run.output.summary).toContain("GitHub answered 502");
      expect(standIn.checkRuns).toHaveLength(1);
      expect(shop.reports()).toEqual([]);
      expect(app.logs).toContain("meshgate could not evaluate");
    }),
  );

  it.concurrent("a 403 secondary rate limit is waited out (retry-after) and the check completes with the verdict", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn } = shop;
      standIn.inject(TREES, { kind: "secondary-rate-limit", times: 1, retryAfterSeconds: 1 });
      await open(shop);
      const run = await app.waitForCheck({ sha: await shop.sha("pr") });

      const limited = standIn.calls.find((c) => c.fault === "secondary-rate-limit");
      if (!limited) throw new Error("no call met the injected rate limit");
      const retried = standIn.calls.find((c) => c.route === TREES && c.path === limited.path && c.seq > limited.seq);
      expect(limited.status).toBe(403);
      expect(retried?.status).toBe(200);
      expect((retried?.start ?? 0) - limited.end).toBeGreaterThanOrEqual(900);
      expect(run).toMatchObject({ conclusion: "failure", output: { title: VERDICT } });
    }),
  );
});
