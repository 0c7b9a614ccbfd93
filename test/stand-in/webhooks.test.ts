import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deliverWebhook,
  issueCommentCreated,
  pullRequestOpened,
  pullRequestReviewSubmitted,
  pullRequestSynchronize,
  signedDelivery,
} from "../../tools/github-stand-in/index.js";
import { shopFixture } from "./support.js";

const shop = shopFixture();
const SECRET = "stand-in-secret";

async function sha(rev: string): Promise<string> {
  return (await shop.standIn.git.resolveCommit(rev)) ?? "";
}

describe("signed deliveries", () => {
  it("signs the exact body with HMAC-SHA256 and names the event and the delivery", () => {
    const delivery = signedDelivery(SECRET, "pull_request.opened", { action: "opened", number: 7 }, { id: "d-1", appId: 42 });
    expect(delivery.body).toBe('{"action":"opened","number":7}');
    expect(delivery.headers).toMatchObject({
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": "d-1",
      "x-github-hook-installation-target-id": "42",
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(delivery.body).digest("hex")}`,
    });
    expect(signedDelivery(SECRET, "issue_comment", {}).id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("payloads from real examples, patched to the stand-in's repository", () => {
  it("builds pull_request.opened and synchronize with the branches' shas", async () => {
    const opened = await pullRequestOpened(shop.standIn, shop.pull);
    expect(opened).toMatchObject({
      action: "opened",
      number: shop.pull,
      installation: { id: shop.standIn.installationId },
      repository: { full_name: "acme/shop", name: "shop", owner: { login: "acme" } },
      organization: { login: "acme" },
      sender: { login: "alex" },
      pull_request: { number: shop.pull, head: { ref: "pr", sha: await sha("pr") }, base: { ref: "main", sha: await sha("main") }, user: { login: "alex" } },
    });
    expect(opened.pull_request.url).toBe(`${shop.standIn.url}/repos/acme/shop/pulls/${shop.pull}`);
    const synchronize = await pullRequestSynchronize(shop.standIn, shop.pull, "0".repeat(40));
    expect([synchronize.action, synchronize.before, synchronize.after]).toEqual(["synchronize", "0".repeat(40), await sha("pr")]);
  });

  it("builds pull_request_review.submitted and issue_comment.created from what the stand-in holds", async () => {
    shop.standIn.setPermission("sam", "write");
    const review = await shop.standIn.addReview({ pull: shop.pull, user: "sam", state: "APPROVED" });
    const submitted = await pullRequestReviewSubmitted(shop.standIn, review);
    expect(submitted).toMatchObject({ action: "submitted", review: { id: review.id, state: "approved", commit_id: await sha("pr"), user: { login: "sam" }, author_association: "MEMBER" }, sender: { login: "sam" } });
    const comment = shop.standIn.addComment({ issue: shop.pull, user: "sam", body: "/recheck" });
    const created = await issueCommentCreated(shop.standIn, comment);
    expect(created).toMatchObject({ action: "created", issue: { number: shop.pull, pull_request: { url: `${shop.standIn.url}/repos/acme/shop/pulls/${shop.pull}` } }, comment: { id: comment.id, body: "/recheck", user: { login: "sam", type: "User" } } });
  });
});

describe("a Probot app on the stand-in", () => {
  let server: Server;
  let webhookUrl: string;

  beforeEach(async () => {
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const probot = new Probot({
      appId: shop.standIn.appId,
      privateKey,
      secret: SECRET,
      baseUrl: shop.standIn.url,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { ...(options.throttle as object | undefined), enabled: false } })),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("pull_request.opened", async (context) => {
          await context.octokit.rest.checks.create(context.repo({ name: "meshgate", head_sha: context.payload.pull_request.head.sha, status: "in_progress" }));
        });
        app.on("issue_comment.created", async (context) => {
          await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: "eyes" }));
        });
      },
      { probot },
    );
    server = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("receives signed deliveries and answers them through the stand-in with an installation token", async () => {
    const opened = await deliverWebhook(webhookUrl, signedDelivery(SECRET, "pull_request", await pullRequestOpened(shop.standIn, shop.pull)));
    expect(opened.status).toBe(200);
    expect(shop.standIn.checkRuns.map((r) => [r.name, r.headSha, r.status])).toEqual([["meshgate", await sha("pr"), "in_progress"]]);

    const comment = shop.standIn.addComment({ issue: shop.pull, user: "sam", body: "/help" });
    expect((await deliverWebhook(webhookUrl, signedDelivery(SECRET, "issue_comment", await issueCommentCreated(shop.standIn, comment)))).status).toBe(200);
    expect(comment.reactions.map((r) => [r.content, r.user])).toEqual([["eyes", "meshgate[bot]"]]);

    // The installation token is exchanged once and cached by Octokit's app auth.
    expect(shop.standIn.calls.map((c) => [c.route, c.status])).toEqual([
      ["POST /app/installations/{installation_id}/access_tokens", 201],
      ["POST /repos/{owner}/{repo}/check-runs", 201],
      ["POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", 201],
    ]);
  });

  it("is refused by the app when signed with another secret", async () => {
    const forged = await deliverWebhook(webhookUrl, signedDelivery("wrong-secret", "pull_request", await pullRequestOpened(shop.standIn, shop.pull)));
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(shop.standIn.checkRuns).toHaveLength(0);
  });
});
