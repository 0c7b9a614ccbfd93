import { describe, expect, it } from "vitest";
import { STOPPED_REASON } from "../../src/github/evaluate-target.js";
import { pullRequestOpened } from "../../tools/github-stand-in/index.js";
import { E2E_TIMEOUT_MS, endToEndFile, withShop, type Shop } from "./app-fixture.js";

// `npm start` with the embedded queue stopped as Kubernetes stops a pod (SIGTERM, then SIGKILL
// after the grace period): a running evaluation ends with its check completed before the exit.
endToEndFile();
const VERDICT = "Failed: 1 blocking finding, 5 approval requirements unmet (4 mesh changes)";

/** Opens the pull request and waits until its evaluation is running (its check in progress). */
async function openAndWaitForCheck(shop: Shop): Promise<void> {
  const delivered = await shop.app.deliver("pull_request.opened", await pullRequestOpened(shop.standIn, shop.pull));
  expect(delivered).toMatchObject({ status: 200, body: "queued\n" });
  await shop.app.waitFor("the check in progress", () => (shop.standIn.checkRuns.some((r) => r.status === "in_progress") ? true : undefined));
}

describe("SIGTERM mid-evaluation", () => {
  it.concurrent("within the grace period, the evaluation finishes: the check is completed with its verdict before the process exits", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn } = shop;
      // Each blob query answers slowly: SIGTERM arrives while the evaluation waits on them.
      standIn.inject("POST /graphql", { kind: "latency", ms: 1_500 });
      await openAndWaitForCheck(shop);

      const code = await app.terminate();
      // Looked at once the process is gone: nothing it wrote after can change this.
      expect(code).toBe(0);
      expect(standIn.checkRuns.map((r) => [r.status, r.conclusion, r.output.title])).toEqual([["completed", "failure", VERDICT]]);
      expect(shop.reports().map((c) => c.body.includes(`meshgate: ${VERDICT}`))).toEqual([true]);
    }),
  );

  it.concurrent("past the grace period, the check is completed as stopped (evaluated again on redelivery), never left in progress", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(
      async (shop) => {
        const { app, standIn } = shop;
        // The blob queries never answer within the grace period.
        standIn.inject("POST /graphql", { kind: "hang", times: 100, ms: 60_000 });
        await openAndWaitForCheck(shop);

        const code = await app.terminate();
        expect(code).toBe(0);
        const [run, ...others] = standIn.checkRuns;
        expect(others).toEqual([]);
        expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "could not evaluate" } });
        expect(run?.output.summary).toContain(STOPPED_REASON);
        expect(shop.reports()).toEqual([]);
      },
      { env: { MESHGATE_DRAIN_MS: "500" } },
    ),
  );
});
