import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createNodeMiddleware } from "probot";
import { describe, expect, it } from "vitest";
import app from "../../src/github/app.js";
import type { CheckRunOutput } from "../../src/report/check-run.js";
import { payload, testProbot } from "../support/github.js";
import {
  BASE,
  CHECK_RUN_ID,
  checkRunPayload,
  DELIVERY,
  checkSuitePayload,
  COMMENT_MARKER,
  mergeGroupPayload,
  PR,
  pullRequestPayload,
  REPO_PATH,
  retryingProbot,
  review,
  reviewPayload,
  ShopWorld,
  STOREFRONT_CANARY_20,
  STOREFRONT_PERMISSIVE,
} from "./app-world.js";

const CHECK_RUNS = `${REPO_PATH}/check-runs`;
const CHECK_RUN = `${CHECK_RUNS}/${CHECK_RUN_ID}`;
const COMMENTS = `${REPO_PATH}/issues/${PR}/comments`;

interface CompletedCheck {
  status: "completed";
  conclusion: CheckRunOutput["conclusion"];
  output: Omit<CheckRunOutput, "conclusion">;
}

/** The one PATCH that completed the check run. */
function completedCheck(world: ShopWorld): CompletedCheck {
  const patches = world.sent("PATCH", CHECK_RUN) as CompletedCheck[];
  expect(patches).toHaveLength(1);
  return patches[0] as CompletedCheck;
}

describe("pull_request", () => {
  it("opened with a mesh change: the check starts in progress on the head, completes with annotations, and the comment is created", async () => {
    const world = new ShopWorld();
    const head = world.commit("permissive", { "apps/storefront.yaml": STOREFRONT_PERMISSIVE });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment();

    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();

    expect(world.sent("POST", CHECK_RUNS)).toEqual([{ name: "meshgate", head_sha: head, status: "in_progress", external_id: `4242:acme/shop#2@${head}` }]);
    // Started before it was completed, and completed before the comment.
    const routes = world.routes();
    expect(routes.indexOf(`POST ${CHECK_RUNS}`)).toBeLessThan(routes.indexOf(`PATCH ${CHECK_RUN}`));
    const check = completedCheck(world);
    expect(check.status).toBe("completed");
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toBe("Failed: 1 blocking finding, 1 approval requirement unmet (1 mesh change)");
    expect(check.output.annotations).toEqual([
      {
        path: "apps/storefront.yaml",
        start_line: 43,
        end_line: 43,
        annotation_level: "failure",
        title: "MTLS-002: PeerAuthentication accepts plaintext",
        message: "mTLS mode PERMISSIVE for all ports: the selected workloads accept plaintext connections.\n\nPeerAuthentication shop/frontend · high · blocking (new) · SOC 2 CC6.7\nExplain: /explain MTLS-002",
      },
    ]);
    // Line 43 of the head's storefront.yaml is the mtls trait that says PERMISSIVE.
    expect(STOREFRONT_PERMISSIVE.split("\n")[42]).toContain("type: mtls");
    await expect(check.output.summary).toMatchFileSnapshot("__snapshots__/app/opened-check-summary.md");
    await expect(check.output.text).toMatchFileSnapshot("__snapshots__/app/opened-check-text.md");

    const [comment] = world.sent("POST", COMMENTS) as { body: string }[];
    expect(comment?.body.startsWith(COMMENT_MARKER)).toBe(true);
    await expect(comment?.body).toMatchFileSnapshot("__snapshots__/app/opened-comment.md");
  });

  it("synchronize: the comment is updated in place, never duplicated", async () => {
    const world = new ShopWorld();
    const head = world.commit("canary 20", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment({ id: 77, body: `${COMMENT_MARKER}\n## ❌ meshgate: the previous head's report` });

    await world.receive("pull_request", pullRequestPayload("synchronize", { head }));
    world.repo.mock.done();

    expect(world.sent("POST", COMMENTS)).toEqual([]);
    const [updated] = world.sent("PATCH", `${REPO_PATH}/issues/comments/77`) as { body: string }[];
    await expect(updated?.body).toMatchFileSnapshot("__snapshots__/app/synchronize-comment.md");
    const check = completedCheck(world);
    // The canary step (VirtualServices frontend and frontend-ingress) is clean; only @maria's approval as code owner is missing.
    expect([check.conclusion, check.output.title]).toEqual(["failure", "Failed: 1 approval requirement unmet (2 mesh changes)"]);
    expect(check.output.annotations).toBeUndefined();
  });

  it("without mesh changes: the check still completes (success), and no comment is written", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop\n\nNow with a README.\n" });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });

    await world.receive("pull_request", pullRequestPayload("reopened", { head }));
    world.repo.mock.done();

    const check = completedCheck(world);
    expect([check.conclusion, check.output.title]).toEqual(["success", "Passed: no mesh changes"]);
    await expect(check.output.summary).toMatchFileSnapshot("__snapshots__/app/no-mesh-changes-summary.md");
    expect(world.sent("POST", COMMENTS)).toEqual([]);
  });

  it("edited: evaluated again when the base branch changed, ignored for a new title", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    const retitled = pullRequestPayload("opened", { head });
    await world.receive("pull_request", { ...retitled, action: "edited", changes: { title: { from: "Update the README" } } });
    expect(world.repo.mock.requests).toEqual([]);

    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });
    await world.receive("pull_request", { ...retitled, action: "edited", changes: { base: { ref: { from: "release" }, sha: { from: "0".repeat(40) } } } });
    world.repo.mock.done();
    expect(completedCheck(world).conclusion).toBe("success");
  });

  it("from a fork: everything is read through the base repository, and the check lands on the fork's head commit", async () => {
    const world = new ShopWorld();
    const head = world.commit("fork", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    world.mockGather({ head, pullRequest: { reviews: [review("maria", "APPROVED", head, "2026-11-28T11:00:00Z")], approvers: { maria: "write" } } });
    world.mockCheck();
    world.mockComment();

    const event = pullRequestPayload("opened", { head, fork: true });
    expect(event.pull_request.head.repo?.full_name).toBe("dora/shop");
    await world.receive("pull_request", event);
    // Nothing asked of dora/shop: nock would have refused it.
    world.repo.mock.done();
    expect(world.routes().every((r) => !r.includes("/repos/dora/"))).toBe(true);
    expect(world.sent("POST", CHECK_RUNS)).toEqual([{ name: "meshgate", head_sha: head, status: "in_progress", external_id: `4242:acme/shop#2@${head}` }]);
    expect(completedCheck(world).output.title).toBe("Passed: 2 mesh changes");
  });
});

describe("pull_request_review", () => {
  it("approved by the code owner: evaluated again, to success, and the comment follows", async () => {
    const world = new ShopWorld();
    const head = world.commit("canary 20", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    world.mockPullRequest(head);
    world.mockGather({ head, pullRequest: { reviews: [review("maria", "APPROVED", head, "2026-11-28T11:00:00Z")], approvers: { maria: "write" } } });
    world.mockCheck();
    world.mockComment({ id: 77, body: `${COMMENT_MARKER}\n## ❌ meshgate: Failed: 1 approval requirement unmet (1 mesh change)` });

    await world.receive("pull_request_review", reviewPayload("submitted", { head, reviewer: "maria", state: "approved" }));
    world.repo.mock.done();

    const check = completedCheck(world);
    expect([check.conclusion, check.output.title]).toEqual(["success", "Passed: 2 mesh changes"]);
    const [updated] = world.sent("PATCH", `${REPO_PATH}/issues/comments/77`) as { body: string }[];
    await expect(updated?.body).toMatchFileSnapshot("__snapshots__/app/approved-comment.md");
  });
});

describe("re-runs", () => {
  it("check_suite rerequested: the suite's pull request is evaluated again on the suite's head", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.mockPullRequest(head);
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });

    await world.receive("check_suite", checkSuitePayload(head));
    world.repo.mock.done();
    expect(world.sent("POST", CHECK_RUNS)).toEqual([{ name: "meshgate", head_sha: head, status: "in_progress", external_id: `4242:acme/shop#2@${head}` }]);
    expect(completedCheck(world).output.title).toBe("Passed: no mesh changes");
  });

  it("check_run rerequested on meshgate's check: a fork's pull request (not listed in the payload) is found by its head commit", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    const forkPr = pullRequestPayload("opened", { head, fork: true }).pull_request;
    world.mockToken();
    world.repo.scope.get(`${REPO_PATH}/commits/${head}/pulls`).query({ per_page: "100" }).reply(200, [forkPr, { ...forkPr, number: 1, state: "closed" }]);
    world.mockPullRequest(head);
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });

    await world.receive("check_run", checkRunPayload(head));
    world.repo.mock.done();
    expect(completedCheck(world).output.title).toBe("Passed: no mesh changes");
  });

  it("check_run rerequested on another app's check, or another check's name, and another app's suite: ignored", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    await world.receive("check_run", checkRunPayload(head, { appId: 2 }));
    await world.receive("check_run", checkRunPayload(head, { name: "lint" }));
    const suite = checkSuitePayload(head);
    suite.check_suite.app.id = 2;
    await world.receive("check_suite", suite);
    expect(world.repo.mock.requests).toEqual([]);
  });
});

describe("merge_group", () => {
  it("checks_requested: the rules on the group's head against its base, reported on the group's head, no approvals, no comment", async () => {
    const world = new ShopWorld();
    const head = world.commit("merge group", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    world.mockGather({ head });
    world.mockCheck();

    await world.receive("merge_group", mergeGroupPayload(head));
    world.repo.mock.done();

    expect(world.sent("POST", CHECK_RUNS)).toEqual([{ name: "meshgate", head_sha: head, status: "in_progress", external_id: `4242:acme/shop@merge-group:${head}@${head}` }]);
    const check = completedCheck(world);
    // The code owner's approval that the pull request needed is not asked again here.
    expect([check.conclusion, check.output.title]).toEqual(["success", "Passed: 2 mesh changes"]);
    expect(check.output.summary).not.toContain("### Approvals");
    expect(world.routes().filter((r) => r.includes("/pulls/") || r.includes("/issues/"))).toEqual([]);
  });
});

describe("duplicate deliveries", () => {
  /** A pull request that changes no manifest: the shortest evaluation, mocked once. */
  function readmeChange(world: ShopWorld): { head: string; event: unknown } {
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.mockGather({ head, pullRequest: {} });
    world.mockComment(undefined, { listOnly: true });
    return { head, event: pullRequestPayload("opened", { head }) };
  }

  it("a delivery received again after it was handled is ignored: one check run", async () => {
    const world = new ShopWorld();
    const { event } = readmeChange(world);
    world.mockCheck();
    await world.receive("pull_request", event, { id: "delivery-1" });
    await world.receive("pull_request", event, { id: "delivery-1" });
    world.repo.mock.done();
    expect(world.sent("POST", CHECK_RUNS)).toHaveLength(1);
    expect(completedCheck(world).output.title).toBe("Passed: no mesh changes");
  });

  it("the same delivery twice at once is evaluated once", async () => {
    const world = new ShopWorld();
    const { event } = readmeChange(world);
    world.mockCheck();
    await Promise.all([world.receive("pull_request", event, { id: "delivery-1" }), world.receive("pull_request", event, { id: "delivery-1" })]);
    world.repo.mock.done();
    expect(world.sent("POST", CHECK_RUNS)).toHaveLength(1);
    expect(world.routes().filter((r) => r.includes("/compare/"))).toHaveLength(1);
  });

  it("a delivery whose handling failed is handled when it is redelivered", async () => {
    const world = new ShopWorld();
    const { head, event } = readmeChange(world);
    // GitHub refuses the check run: the evaluation cannot report, so its delivery is forgotten.
    world.repo.scope.post(CHECK_RUNS).reply(422, { message: "Validation Failed" });
    await world.receive("pull_request", event, { id: "delivery-1" });
    world.repo.mock.done();

    // The blobs read the first time are cached.
    world.mockGather({ head, pullRequest: {}, blobQueries: 0 });
    world.mockComment(undefined, { listOnly: true });
    world.mockCheck();
    await world.receive("pull_request", event, { id: "delivery-1" });
    world.repo.mock.done();
    expect(completedCheck(world).output.title).toBe("Passed: no mesh changes");
  });
});

describe("failures", () => {
  it("a 502 from GitHub is retried by Octokit's retry plugin, and the evaluation succeeds", async () => {
    const { probot, log } = retryingProbot();
    const world = new ShopWorld(probot);
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.repo.scope.get(`${REPO_PATH}/compare/${BASE}...${head}`).query({ per_page: "1" }).reply(502, { message: "Server Error" });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });

    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();
    // Twice on the wire (nock saw both), once for the app: the retry happens inside Octokit.
    expect(world.routes().filter((r) => r.includes("/compare/"))).toHaveLength(2);
    expect(log.calls().filter((c) => c.includes("/compare/"))).toHaveLength(1);
    expect(completedCheck(world).output.title).toBe("Passed: no mesh changes");
  });

  it("a permanent failure completes the check as \"could not evaluate\", never leaves it in progress", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.mockToken();
    world.repo.scope.get(`${REPO_PATH}/compare/${BASE}...${head}`).query({ per_page: "1" }).reply(500, { message: "Server Error" });
    world.repo.mockPolicy();
    world.repo.mockTree(head);
    world.repo.mockTree(BASE);
    world.repo.mockList(`${REPO_PATH}/pulls/${PR}/reviews`, []);
    world.repo.mockList(`${REPO_PATH}/pulls/${PR}/commits`, []);
    world.mockCheck();
    // Listed beside the gathering, before anyone knows it will fail.
    world.mockComment(undefined, { listOnly: true });

    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();

    const check = completedCheck(world);
    expect(check.conclusion).toBe("failure");
    expect(check.output.title).toMatch(/could not evaluate/i);
    expect(check.output.summary).toContain("GitHub answered 500 (Server Error");
    expect(check.output.summary).toContain(DELIVERY);
    expect(check.status).toBe("completed");
    await expect(check.output.summary).toMatchFileSnapshot("__snapshots__/app/could-not-evaluate-api.md");
    // No verdict, so no comment: the comments were listed, none written.
    expect(world.routes().filter((r) => r.includes("/comments"))).toEqual([`GET ${REPO_PATH}/issues/${PR}/comments`]);
  });

  it("a truncated tree completes the check as \"could not evaluate\": never a partial pass", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.mockToken();
    world.repo.mockCompare(BASE, head, BASE);
    world.repo.mockPolicy();
    world.repo.mockTree(head, { truncated: true });
    world.repo.mockTree(BASE);
    world.repo.mockList(`${REPO_PATH}/pulls/${PR}/reviews`, []);
    world.repo.mockList(`${REPO_PATH}/pulls/${PR}/commits`, []);
    world.mockCheck();
    world.mockComment(undefined, { listOnly: true });

    await world.receive("pull_request", pullRequestPayload("synchronize", { head }));
    world.repo.mock.done();

    const check = completedCheck(world);
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain(`GitHub truncated the file tree of ${head}`);
    expect([check.status, check.output.title]).toEqual(["completed", "could not evaluate"]);
    await expect(check.output.summary).toMatchFileSnapshot("__snapshots__/app/could-not-evaluate-truncated.md");
  });

  it("when GitHub refuses the check's output, the check is completed again as \"could not evaluate\"", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    world.mockGather({ head, pullRequest: {} });
    world.mockToken();
    world.repo.scope.post(CHECK_RUNS).reply(201, { id: CHECK_RUN_ID });
    world.repo.scope.patch(CHECK_RUN).reply(422, { message: "Validation Failed" });
    world.repo.scope.patch(CHECK_RUN).reply(200, { id: CHECK_RUN_ID });
    world.mockComment(undefined, { listOnly: true });

    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();
    const [, retried] = world.sent("PATCH", CHECK_RUN) as CompletedCheck[];
    expect(retried?.conclusion).toBe("failure");
    expect(retried?.output.summary).toContain("GitHub answered 422 (Validation Failed");
  });
});

describe("cost of an evaluation", () => {
  // Depth: one more than the deepest call that had answered when a call started. The installation
  // token (once an hour per installation) is fetched inside the first call's auth, so it adds a
  // round trip before depth 1 that the hook records at depth 1.
  it("a pull request event: 12 calls in 3 sequential round trips cold; a review with a warm cache, 12 in 4", async () => {
    const { probot, log } = retryingProbot();
    const world = new ShopWorld(probot);
    const head = world.commit("permissive", { "apps/storefront.yaml": STOREFRONT_PERMISSIVE });
    world.mockGather({ head, pullRequest: {} });
    world.mockCheck();
    world.mockComment();
    await world.receive("pull_request", pullRequestPayload("opened", { head }));
    world.repo.mock.done();
    expect(log.calls()).toEqual([
      // The check starts beside the gathering, not before it.
      "1 POST /repos/acme/shop/check-runs",
      "1 POST /graphql",
      `1 GET /repos/acme/shop/compare/${BASE}...${head}`,
      `1 GET /repos/acme/shop/git/trees/${head}`,
      // The base tip's tree, on the wager (won here) that it is the merge base.
      `1 GET /repos/acme/shop/git/trees/${BASE}`,
      "1 GET /repos/acme/shop/pulls/2/reviews",
      "1 GET /repos/acme/shop/pulls/2/commits",
      // The comments are listed beside the gathering, so only the comment's write is left at the end.
      "1 GET /repos/acme/shop/issues/2/comments",
      "1 POST /app/installations/4242/access_tokens",
      "2 POST /graphql",
      // The check and the comment are published side by side.
      "3 PATCH /repos/acme/shop/check-runs/9001",
      "3 POST /repos/acme/shop/issues/2/comments",
    ]);
    expect({ calls: log.calls().length, depth: log.depth() }).toEqual({ calls: 12, depth: 3 });

    // A review arrives: every blob is cached now, and the pull request is fetched for its commit count.
    log.reset();
    world.mockPullRequest(head);
    world.mockGather({ head, blobQueries: 0, pullRequest: { reviews: [review("maria", "APPROVED", head, "2026-11-28T11:00:00Z")], approvers: { maria: "write" } } });
    world.mockCheck();
    world.mockComment({ id: 501, body: `${COMMENT_MARKER}\nthe previous report` });
    await world.receive("pull_request_review", reviewPayload("submitted", { head, reviewer: "maria", state: "approved" }));
    world.repo.mock.done();
    expect(log.calls()).toEqual([
      "1 GET /repos/acme/shop/pulls/2",
      "1 POST /repos/acme/shop/check-runs",
      "2 POST /graphql",
      `2 GET /repos/acme/shop/compare/${BASE}...${head}`,
      `2 GET /repos/acme/shop/git/trees/${head}`,
      `2 GET /repos/acme/shop/git/trees/${BASE}`,
      "2 GET /repos/acme/shop/pulls/2/reviews",
      "2 GET /repos/acme/shop/pulls/2/commits",
      "2 GET /repos/acme/shop/issues/2/comments",
      // The longest chain: the pull request, its reviews, the approver's permission, the verdict.
      "3 GET /repos/acme/shop/collaborators/maria/permission",
      "4 PATCH /repos/acme/shop/check-runs/9001",
      "4 PATCH /repos/acme/shop/issues/comments/501",
    ]);
    expect({ calls: log.calls().length, depth: log.depth() }).toEqual({ calls: 12, depth: 4 });
  });
});

describe("webhook signatures", () => {
  /** A delivery through Probot's node middleware (the one `npm start` serves), signed with `secret`. */
  async function deliver(secret: string): Promise<number> {
    const handler = await createNodeMiddleware(app, { probot: testProbot() });
    // A bot's comment: a handler that ran would ignore it without a call, so the status alone tells.
    const body = JSON.stringify({ ...payload("issue_comment", (p) => p.action === "created"), sender: { login: "x[bot]", type: "Bot" } });
    const request = {
      method: "POST",
      url: "/api/github/webhooks",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": "5f1c1a2e-0000-4000-8000-000000000001",
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    } as unknown as IncomingMessage;
    let status = 0;
    const response = { writeHead: (code: number) => ((status = code), { end: () => undefined }) } as unknown as ServerResponse;
    await handler(request, response);
    return status;
  }

  it("a delivery with a forged signature is refused (400); one signed with the secret is accepted", async () => {
    expect(await deliver("not-the-secret")).toBe(400);
    expect(await deliver("test-secret")).toBe(200);
  });

  it("verifyAndReceive refuses a forged signature before any handler runs", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    const body = JSON.stringify(pullRequestPayload("opened", { head }));
    await world.probot.ready();
    await expect(
      world.probot.webhooks.verifyAndReceive({ id: DELIVERY, name: "pull_request", payload: body, signature: `sha256=${"0".repeat(64)}` }),
    ).rejects.toThrow(/signature does not match/);
    expect(world.repo.mock.requests).toEqual([]);
  });
});
