import { describe, expect, it } from "vitest";
import { payload } from "../support/github.js";
import { CHECK_RUN_ID, commentPayload, PR, REPO_PATH, review, ShopWorld, STOREFRONT_CANARY_20, STOREFRONT_PERMISSIVE } from "./app-world.js";

const COMMENTS = `${REPO_PATH}/issues/${PR}/comments`;
const REACTIONS = `${REPO_PATH}/issues/comments/3001/reactions`;

/** The acknowledgement: 👀 on the command's comment. */
function mockReaction(world: ShopWorld): void {
  world.mockToken();
  world.repo.scope.post(REACTIONS).reply(201, { id: 1, content: "eyes" });
}

/** The reply, which is the answer. */
function mockReply(world: ShopWorld): void {
  world.repo.scope.post(COMMENTS).reply(201, { id: 3002 });
}

function reply(world: ShopWorld): string {
  const bodies = world.sent("POST", COMMENTS) as { body: string }[];
  expect(bodies).toHaveLength(1);
  return bodies[0]?.body ?? "";
}

describe("comment commands", () => {
  it("/render storefront: acknowledged with 👀, answered with the head's render of that Application", async () => {
    const world = new ShopWorld();
    const head = world.commit("permissive", { "apps/storefront.yaml": STOREFRONT_PERMISSIVE });
    mockReaction(world);
    world.mockPullRequest(head);
    // No reviews or commits: a render needs none.
    world.mockGather({ head });
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/render storefront"));
    world.repo.mock.done();

    expect(world.sent("POST", REACTIONS)).toEqual([{ content: "eyes" }]);
    const body = reply(world);
    expect(body).toContain("<details><summary>12 resources (YAML)</summary>");
    expect(body).not.toContain("name: catalog");
    await expect(body).toMatchFileSnapshot("__snapshots__/commands/render-storefront.md");
  });

  it("/meshgate diff: the mesh changes of the pull request", async () => {
    const world = new ShopWorld();
    const head = world.commit("canary 20", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    mockReaction(world);
    world.mockPullRequest(head);
    world.mockGather({ head });
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/meshgate diff"));
    world.repo.mock.done();
    await expect(reply(world)).toMatchFileSnapshot("__snapshots__/commands/diff.md");
  });

  it("/explain MTLS-002: the rule's explanation, without a call beyond the reaction and the reply", async () => {
    const world = new ShopWorld();
    mockReaction(world);
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/explain mtls-002"));
    world.repo.mock.done();
    await expect(reply(world)).toMatchFileSnapshot("__snapshots__/commands/explain-mtls-002.md");
  });

  it("/recheck by a user without write permission: refused politely, nothing evaluated", async () => {
    const world = new ShopWorld();
    mockReaction(world);
    world.repo.mockPermission("olaf", { permission: "read", role_name: "triage" });
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/recheck", { login: "olaf", type: "User" }));
    world.repo.mock.done();
    expect(reply(world)).toBe(
      "Sorry @olaf, <code>/recheck</code> needs write permission on this repository (yours: read). Someone with write access can run it; pushing a commit evaluates the pull request again too.\n",
    );
    expect(world.routes().filter((r) => r.includes("check-runs"))).toEqual([]);
  });

  it("/recheck by a user GitHub does not know as a collaborator (404): refused", async () => {
    const world = new ShopWorld();
    mockReaction(world);
    world.repo.mockPermission("mallory", 404);
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/meshgate recheck", { login: "mallory", type: "User" }));
    world.repo.mock.done();
    expect(reply(world)).toContain("(yours: none)");
  });

  it("/recheck by a maintainer: the check is evaluated again on the head, queued as the pull request's job; the reply says so", async () => {
    const world = new ShopWorld();
    const head = world.commit("canary 20", { "apps/storefront.yaml": STOREFRONT_CANARY_20 });
    mockReaction(world);
    world.repo.mockPermission("maria", { permission: "write", role_name: "maintain" });
    world.mockPullRequest(head);
    world.mockGather({ head, pullRequest: { reviews: [review("maria", "APPROVED", head, "2026-11-28T11:00:00Z")], approvers: { maria: "write" } } });
    world.mockCheck();
    world.mockComment({ id: 77, body: "<!-- meshgate:pull-request-report -->\nthe previous report" });
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/recheck"));
    world.repo.mock.done();
    expect(world.sent("POST", `${REPO_PATH}/check-runs`)).toEqual([{ name: "meshgate", head_sha: head, status: "in_progress", external_id: `4242:acme/shop#2@${head}` }]);
    expect((world.sent("PATCH", `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`)[0] as { conclusion: string }).conclusion).toBe("success");
    expect(reply(world)).toBe(`Evaluating <code>${head.slice(0, 7)}</code> again: the \`meshgate\` check will show the verdict.\n`);
  });

  it("an unknown command addressed to meshgate gets the help", async () => {
    const world = new ShopWorld();
    mockReaction(world);
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/meshgate frobnicate"));
    world.repo.mock.done();
    const body = reply(world);
    expect(body).toMatch(/^meshgate does not know the command <code>frobnicate<\/code>\.\n\n### meshgate commands\n/);
    expect(body).toContain("| `/recheck` |");
  });

  it("a failure while answering is a reply that says so", async () => {
    const world = new ShopWorld();
    const head = world.commit("readme", { "README.md": "# shop!\n" });
    mockReaction(world);
    world.mockPullRequest(head);
    world.repo.mockCompare(world.base, head, world.base);
    world.repo.mockPolicy();
    world.repo.mockTree(head, { truncated: true });
    world.repo.mockTree(world.base);
    mockReply(world);

    await world.receive("issue_comment", commentPayload("/diff"));
    world.repo.mock.done();
    expect(reply(world)).toBe(`Could not answer <code>/diff</code>: GitHub truncated the file tree of ${head} (it is over the API's limit of entries or bytes), so meshgate cannot see every manifest\n`);
  });

  it("ignores bots (its own replies included), comments on plain issues, and comments without a command", async () => {
    const world = new ShopWorld();
    await world.receive("issue_comment", commentPayload("/recheck", { login: "meshgate[bot]", type: "Bot" }));
    await world.receive("issue_comment", commentPayload("/recheck", { login: "renovate[bot]", type: "Bot" }));
    const onIssue = commentPayload("/recheck");
    delete onIssue.issue.pull_request;
    await world.receive("issue_comment", onIssue);
    await world.receive("issue_comment", commentPayload("Looks good to me"));
    // An example straight from @octokit/webhooks-examples: a comment on an issue.
    await world.receive("issue_comment", payload("issue_comment", (p) => p.action === "created"));
    expect(world.repo.mock.requests).toEqual([]);
  });
});
