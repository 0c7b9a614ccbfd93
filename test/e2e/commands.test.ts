import { describe, expect, it } from "vitest";
import { issueCommentCreated, pullRequestOpened } from "../../tools/github-stand-in/index.js";
import { SHOP_PEOPLE } from "../../tools/shop-scenario.js";
import { octokitFor } from "../stand-in/support.js";
import { E2E_TIMEOUT_MS, endToEndFile, withShop } from "./app-fixture.js";

endToEndFile();

// Concurrent, the two suites too: every test has its own stand-in and app process.
describe.concurrent("comments and deliveries, end to end", () => {
  describe("/recheck", () => {
    it.concurrent("is refused politely for a reader, and nothing is evaluated", { timeout: E2E_TIMEOUT_MS }, () =>
      withShop(async (shop) => {
        const { app, standIn } = shop;
        const command = standIn.addComment({ issue: shop.pull, user: SHOP_PEOPLE.reader, body: "/recheck" });
        const delivered = await app.deliver("issue_comment.created", await issueCommentCreated(standIn, command));
        expect(delivered.status).toBe(200);
        const reply = await app.waitForComment("a reply to /recheck", (c) => c.user === standIn.botLogin && c.id > command.id);

        expect(reply.body).toMatch(/^Sorry @rita, <code>\/recheck<\/code> needs write permission on this repository \(yours: read\)/);
        expect(command.reactions.map((r) => [r.user, r.content])).toEqual([[standIn.botLogin, "eyes"]]);
        expect(standIn.checkRuns).toEqual([]);
        expect(shop.reports()).toEqual([]);
        const asked = new Set(standIn.calls.map((c) => c.route));
        expect(asked.has("GET /repos/{owner}/{repo}/collaborators/{username}/permission")).toBe(true);
        expect([...asked].filter((route) => route?.includes("/compare/") === true || route?.includes("/git/trees/") === true || route === "POST /graphql")).toEqual([]);
      }),
    );

    it.concurrent("re-evaluates for someone with write access", { timeout: E2E_TIMEOUT_MS }, () =>
      withShop(async (shop) => {
        const { app, standIn } = shop;
        const command = standIn.addComment({ issue: shop.pull, user: SHOP_PEOPLE.codeOwner, body: "/recheck" });
        await app.deliver("issue_comment.created", await issueCommentCreated(standIn, command));
        const run = await app.waitForCheck({ sha: await shop.sha("pr") });
        const reply = await app.waitForComment("a reply to /recheck", (c) => c.user === standIn.botLogin && c.id > command.id && !c.body.startsWith("<!--"));

        expect(run.output.title).toContain("1 blocking finding");
        expect(reply.body).toContain(run.output.title ?? "");
      }),
    );
  });

  describe("duplicate deliveries", () => {
    // GitHub may deliver an event twice (a redelivery, or a retry after a timeout). The app does
    // not deduplicate deliveries: each one evaluates and makes its own check run. That is
    // acceptable: both carry the same verdict, neither is left in progress, and GitHub shows (and
    // a required status takes) the latest run of the name on the commit; the comment stays one,
    // as the app chains the updates of a pull request's comment.
    it.concurrent("the same delivery twice at once: one comment, and the check runs on the sha all completed alike", { timeout: E2E_TIMEOUT_MS }, () =>
      withShop(async (shop) => {
        const { app, standIn } = shop;
        const head = await shop.sha("pr");
        const payload = await pullRequestOpened(standIn, shop.pull);
        const answers = await Promise.all([app.deliver("pull_request.opened", payload, { id: "duplicate-1" }), app.deliver("pull_request.opened", payload, { id: "duplicate-1" })]);
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
        await app.waitForCheck({ sha: head });

        expect(shop.reports()).toHaveLength(1);
        const runs = standIn.checkRuns.filter((r) => r.headSha === head);
        expect(runs).toHaveLength(2);
        expect(new Set(runs.map((r) => JSON.stringify([r.status, r.conclusion, r.output.title])))).toEqual(
          new Set([JSON.stringify(["completed", "failure", "Failed: 1 blocking finding, 5 approval requirements unmet (4 mesh changes)"])]),
        );
        const { data } = await octokitFor(standIn).rest.checks.listForRef({ owner: standIn.owner, repo: standIn.name, ref: head, check_name: "meshgate" });
        expect(data.check_runs.map((r) => [r.id, r.status, r.conclusion])).toEqual([[runs[1]?.id, "completed", "failure"]]);
      }),
    );
  });
});
