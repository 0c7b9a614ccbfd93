import { describe, expect, it } from "vitest";
import { pullRequestOpened, pullRequestReviewSubmitted, pullRequestSynchronize } from "../../tools/github-stand-in/index.js";
import { pushShopFix, SHOP_PEOPLE } from "../../tools/shop-scenario.js";
import { E2E_TIMEOUT_MS, endToEndFile, withShop } from "./app-fixture.js";

// The real server (`npm start`'s dist/github/server.js) on the GitHub stand-in: a pull request's
// life, from the webhooks GitHub would send to what a reviewer sees.
endToEndFile();

describe("a pull request, end to end", () => {
  it.concurrent("opened: the check run starts in progress and completes with the verdict; one comment carries the report", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn } = shop;
      const head = await shop.sha("pr");
      const delivered = await app.deliver("pull_request.opened", await pullRequestOpened(standIn, shop.pull));
      expect(delivered.status).toBe(200);
      const run = await app.waitForCheck({ sha: head });

      expect(standIn.checkRuns).toHaveLength(1);
      expect(run).toMatchObject({ name: "meshgate", status: "completed", conclusion: "failure" });
      expect(run.requests[0]).toMatchObject({ name: "meshgate", head_sha: head, status: "in_progress" });
      expect(run.output.title).toBe("Failed: 1 blocking finding, 5 approval requirements unmet (4 mesh changes)");
      expect(run.output.summary).toContain("MTLS-002");
      expect(run.annotations.map((a) => `${a.path}:${a.start_line} ${a.annotation_level} ${a.title ?? ""}`)).toEqual(["apps/checkout.yaml:19 failure MTLS-002: PeerAuthentication accepts plaintext"]);
      await shop.waitForReport(run.output.title);
      const [report, ...others] = shop.reports();
      expect(others).toEqual([]);
      expect(report?.issueNumber).toBe(shop.pull);
      expect(report?.body).toContain(`meshgate: ${run.output.title ?? ""}`);
      expect(report?.body).toContain("<details>");
    }),
  );

  it.concurrent("synchronize: the new head is evaluated and the same comment is updated in place", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn, repository } = shop;
      await repository.git.run(["branch", "sync-test", "pr"]);
      standIn.addPullRequest({ number: 8, base: "main", head: "sync-test", author: SHOP_PEOPLE.author });
      const first = await shop.sha("sync-test");
      await app.deliver("pull_request.opened", await pullRequestOpened(standIn, 8));
      const before = await app.waitForCheck({ sha: first });
      const created = await shop.waitForReport(before.output.title);

      const fixed = await pushShopFix({ repository, branch: "sync-test" });
      const delivered = await app.deliver("pull_request.synchronize", await pullRequestSynchronize(standIn, 8, first));
      expect(delivered.status).toBe(200);
      const after = await app.waitForCheck({ sha: fixed });
      await shop.waitForReport(after.output.title);

      expect(before.output.title).toContain("1 blocking finding");
      expect(after.output.title).toBe("Failed: 5 approval requirements unmet (3 mesh changes)");
      expect(standIn.checkRuns.map((r) => [r.headSha, r.status])).toEqual([
        [first, "completed"],
        [fixed, "completed"],
      ]);
      const reports = shop.reports();
      expect(reports.map((c) => c.id)).toEqual([created.id]);
      expect(reports[0]?.edits).toHaveLength(1);
      expect(reports[0]?.edits[0]).toContain("1 blocking finding");
      expect(reports[0]?.body).toContain(`meshgate: ${after.output.title ?? ""}`);
    }),
  );

  it.concurrent("approvals: a code owner, then the security team; the gate passes", { timeout: E2E_TIMEOUT_MS }, () =>
    withShop(async (shop) => {
      const { app, standIn, repository } = shop;
      const head = await pushShopFix({ repository, branch: "approval-test", from: "pr" });
      standIn.addPullRequest({ number: 9, base: "main", head: "approval-test", author: SHOP_PEOPLE.author });

      const byCodeOwner = await standIn.addReview({ pull: 9, user: SHOP_PEOPLE.codeOwner, state: "APPROVED" });
      await app.deliver("pull_request_review.submitted", await pullRequestReviewSubmitted(standIn, byCodeOwner));
      const waiting = await app.waitForCheck({ sha: head });
      const bySecurity = await standIn.addReview({ pull: 9, user: SHOP_PEOPLE.security, state: "APPROVED" });
      await app.deliver("pull_request_review.submitted", await pullRequestReviewSubmitted(standIn, bySecurity));
      const passed = await app.waitForCheck({ sha: head, after: waiting.id });

      expect(waiting).toMatchObject({ conclusion: "failure", output: { title: "Failed: 1 approval requirement unmet (3 mesh changes)" } });
      expect(waiting.output.summary).toContain("waiting for @acme/security");
      expect(passed).toMatchObject({ conclusion: "success", output: { title: "Passed: 3 mesh changes" } });
      expect(passed.output.summary).toContain("approved by @maria (@acme/payments)");
      expect(passed.output.summary).toContain("approved by @sam (@acme/security)");
      expect(passed.annotations).toEqual([]);
      expect(shop.reports().filter((c) => c.issueNumber === 9)).toHaveLength(1);
    }),
  );
});
