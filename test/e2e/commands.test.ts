import { describe, expect, it } from "vitest";
import { issueCommentCreated, pullRequestOpened } from "../../tools/github-stand-in/index.js";
import { SHOP_PEOPLE } from "../../tools/shop-scenario.js";
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
        expect(reply.body).toBe(`Evaluating <code>${run.headSha.slice(0, 7)}</code> again: the \`meshgate\` check will show the verdict.\n`);
      }),
    );
  });

  describe("duplicate deliveries", () => {
    // GitHub may deliver an event twice (a redelivery, or a proxy's retry after a timeout), with
    // the same delivery id: it is handled once, so the commit has one check run and the PR one comment.
    it.concurrent("the same delivery twice at once, and once more after: one comment, one completed check run on the sha", { timeout: E2E_TIMEOUT_MS }, () =>
      withShop(async (shop) => {
        const { app, standIn } = shop;
        const head = await shop.sha("pr");
        const payload = await pullRequestOpened(standIn, shop.pull);
        const answers = await Promise.all([app.deliver("pull_request.opened", payload, { id: "duplicate-1" }), app.deliver("pull_request.opened", payload, { id: "duplicate-1" })]);
        expect(answers.map((a) => [a.status, a.body]).sort()).toEqual([
          [200, "duplicate\n"],
          [200, "queued\n"],
        ]);
        const run = await app.waitForCheck({ sha: head });
        await shop.waitForReport(run.output.title);
        // The answer comes once the delivery is queued, or recognised as a duplicate: nothing more is queued.
        expect(await app.deliver("pull_request.opened", payload, { id: "duplicate-1" })).toMatchObject({ status: 200, body: "duplicate\n" });

        expect(shop.reports()).toHaveLength(1);
        const runs = standIn.checkRuns.filter((r) => r.headSha === head);
        expect(runs.map((r) => [r.status, r.conclusion, r.output.title])).toEqual([["completed", "failure", "Failed: 1 blocking finding, 5 approval requirements unmet (4 mesh changes)"]]);
      }),
    );
  });
});
