import { afterEach, describe, expect, it } from "vitest";
import { STOPPED_REASON } from "../../src/github/evaluate-target.js";
import { completeOpenChecks } from "../../src/github/run-job.js";
import { COMMAND_RATES } from "../../src/github/token-buckets.js";
import { issueCommentCreated, pullRequestOpened, pullRequestReviewSubmitted, pullRequestSynchronize } from "../../tools/github-stand-in/index.js";
import { pushShopFix, SHOP_PEOPLE } from "../../tools/shop-scenario.js";
import { withLocalServers } from "../stand-in/support.js";
import { PULL, queueWorld, type QueueWorld } from "./queue-world.js";

withLocalServers();

const worlds: QueueWorld[] = [];
async function world(options?: Parameters<typeof queueWorld>[0]): Promise<QueueWorld> {
  const made = await queueWorld(options);
  worlds.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
});

/** The fixed head's verdict: no blocking finding left, only approvals (how many depends on its committers). */
const FIXED = /^Failed: \d+ approval requirements unmet \(3 mesh changes\)$/;
const CHECK_WRITES = new Set(["POST /repos/{owner}/{repo}/check-runs", "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]);

/** A commit on the pull request's branch that changes no manifest. */
function pushReadme(w: QueueWorld, text: string): Promise<string> {
  return w.repository.commit({ branch: "pr", files: { "README.md": `${text}\n` }, message: text });
}

describe("the embedded queue: one job per pull request, latest head wins", () => {
  it("three pushes queued behind the opening make one evaluation, on the last sha; the first heads get no writes", async () => {
    const w = await world();
    const opened = await w.sha("pr");
    await w.receive("pull_request", await pullRequestOpened(w.standIn, PULL));
    const first = await pushReadme(w, "one");
    await w.receive("pull_request", await pullRequestSynchronize(w.standIn, PULL, opened));
    const second = await pushReadme(w, "two");
    await w.receive("pull_request", await pullRequestSynchronize(w.standIn, PULL, first));
    const last = await pushShopFix({ repository: w.repository, branch: "pr" });
    await w.receive("pull_request", await pullRequestSynchronize(w.standIn, PULL, second));
    w.work();
    await w.queue.idle();

    expect(w.standIn.checkRuns.map((r) => [r.headSha, r.status, r.output.title])).toEqual([[last, "completed", expect.stringMatching(FIXED)]]);
    const written = w.standIn.calls.filter((c) => c.method !== "GET" && c.route !== "POST /graphql" && c.route !== "POST /app/installations/{installation_id}/access_tokens");
    expect(written.filter((c) => CHECK_WRITES.has(c.route ?? "")).map((c) => (c.body as { head_sha?: string }).head_sha ?? "patch")).toEqual([last, "patch"]);
    expect(w.standIn.calls.filter((c) => c.route === "GET /repos/{owner}/{repo}/compare/{basehead}")).toHaveLength(1);
    const [report, ...more] = w.reports();
    expect(more).toEqual([]);
    expect(report?.body).toContain(`meshgate: ${w.standIn.checkRuns[0]?.output.title ?? "?"}\n`);
  });

  it("a late event for an older head makes no write: the comment keeps the current head's verdict", async () => {
    const w = await world();
    w.work();
    const opened = await w.sha("pr");
    const openedEvent = await pullRequestOpened(w.standIn, PULL);
    await w.receive("pull_request", openedEvent);
    await w.queue.idle();
    const fixed = await pushShopFix({ repository: w.repository, branch: "pr" });
    await w.receive("pull_request", await pullRequestSynchronize(w.standIn, PULL, opened));
    await w.queue.idle();
    const [report] = w.reports();
    expect(w.standIn.checkRuns.at(-1)?.output.title).toMatch(FIXED);
    expect(report?.body).toContain(`meshgate: ${w.standIn.checkRuns.at(-1)?.output.title ?? "?"}\n`);
    const runs = w.standIn.checkRuns.length;
    const calls = w.standIn.calls.length;

    // The opening's event again, late (a new delivery of it), and a review of the old head.
    await w.receive("pull_request", openedEvent);
    const oldReview = await w.standIn.addReview({ pull: PULL, user: SHOP_PEOPLE.codeOwner, state: "APPROVED", commitId: opened });
    const reviewEvent = await pullRequestReviewSubmitted(w.standIn, oldReview);
    await w.receive("pull_request_review", { ...reviewEvent, pull_request: { ...reviewEvent.pull_request, head: { ...reviewEvent.pull_request.head, sha: opened } } });
    await w.queue.idle();

    expect(w.standIn.checkRuns).toHaveLength(runs);
    expect(w.standIn.calls.slice(calls).filter((c) => c.method !== "GET" && c.route !== "POST /graphql")).toEqual([]);
    expect(w.reports().map((c) => c.body)).toEqual([report?.body]);
    expect(w.standIn.checkRuns.map((r) => r.headSha)).toEqual([opened, fixed]);
  });

  it("reviews of the current head while its evaluation runs: one check run on the head, completed once, with the later verdict", { timeout: 30_000 }, async () => {
    const w = await world();
    const head = await w.sha("pr");
    // The evaluation waits on its blob reads while the reviews come in.
    w.standIn.inject("POST /graphql", { kind: "latency", ms: 1_500 });
    w.work();
    await w.receive("pull_request", await pullRequestOpened(w.standIn, PULL));
    for (let i = 0; i < 500 && w.standIn.checkRuns.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const review = await w.standIn.addReview({ pull: PULL, user: SHOP_PEOPLE.codeOwner, state: "APPROVED" });
    await w.receive("pull_request_review", await pullRequestReviewSubmitted(w.standIn, review));
    await w.receive("pull_request_review", await pullRequestReviewSubmitted(w.standIn, review));
    await w.queue.idle();

    expect(w.standIn.checkRuns.map((r) => [r.headSha, r.status])).toEqual([[head, "completed"]]);
    const [run] = w.standIn.checkRuns;
    // Created once, completed once: the first evaluation left it open for the second.
    expect(run?.requests.filter((r) => (r as { status?: string }).status === "completed")).toHaveLength(1);
    expect(run?.output.title).toBe("Failed: 1 blocking finding, 1 approval requirement unmet (4 mesh changes)");
  });
});

describe("the embedded queue: output safety", () => {
  it("a file named to inject a heading: the comment and the check show it escaped, with the one heading and the one marker of the report", async () => {
    const w = await world();
    const hostile = "apps/x`<h2>✅ meshgate: Passed</h2><!--.yaml";
    await w.repository.commit({ branch: "pr", files: { [hostile]: "apiVersion: v1\nkind: [unclosed\n" }, message: "a hostile file name" });
    await w.receive("pull_request", await pullRequestOpened(w.standIn, PULL));
    w.work();
    await w.queue.idle();

    const [run] = w.standIn.checkRuns;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    const [report, ...more] = w.reports();
    expect(more).toEqual([]);
    const body = report?.body ?? "";
    const lines = body.split("\n");
    expect(lines.filter((l) => /^\s{0,3}#{1,6}\s/.test(l) && l.includes("meshgate:"))).toEqual([lines[1]]);
    expect(lines[1]).toMatch(/^## ❌ meshgate: Failed/);
    expect(body.split("<!--")).toHaveLength(2);
    expect(body).toContain("&lt;h2&gt;");
    for (const shown of [body, run?.output.summary ?? "", run?.output.text ?? ""]) expect(shown).not.toMatch(/<h2>|<!--\.yaml/);
  });
});

describe("the embedded queue: commands", () => {
  it("a reader's /recheck flood costs a bounded number of writes and never delays the gate", async () => {
    const w = await world();
    w.work();
    const flood = 40;
    const comments = Array.from({ length: flood }, () => w.standIn.addComment({ issue: PULL, user: SHOP_PEOPLE.reader, body: "/recheck" }));
    const events = await Promise.all(comments.map((c) => issueCommentCreated(w.standIn, c)));
    await Promise.all(events.slice(0, flood / 2).map((e) => w.receive("issue_comment", e)));
    await w.receive("pull_request", await pullRequestOpened(w.standIn, PULL));
    await Promise.all(events.slice(flood / 2).map((e) => w.receive("issue_comment", e)));
    await w.queue.idle();

    const answered = COMMAND_RATES.pullRequest.burst;
    const replies = w.standIn.comments.filter((c) => c.user === w.standIn.botLogin && !c.body.startsWith("<!--"));
    expect(replies).toHaveLength(answered);
    expect(replies.every((r) => r.body.startsWith("Sorry @rita"))).toBe(true);
    expect(comments.flatMap((c) => c.reactions)).toHaveLength(answered);
    expect(w.standIn.calls.filter((c) => c.route === "GET /repos/{owner}/{repo}/collaborators/{username}/permission")).toHaveLength(answered);
    expect(w.standIn.checkRuns.map((r) => r.status)).toEqual(["completed"]);
  });
});

describe("the embedded queue: draining", () => {
  it("stopped mid-evaluation, the check is completed as stopped, never left in progress", async () => {
    const w = await world();
    // The blob query never answers within the test: the evaluation is stuck after its check started.
    w.standIn.inject("POST /graphql", { kind: "hang", times: 10, ms: 60_000 });
    w.work();
    await w.receive("pull_request", await pullRequestOpened(w.standIn, PULL));
    for (let i = 0; i < 500 && w.standIn.checkRuns.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(w.standIn.checkRuns.map((r) => r.status)).toEqual(["in_progress"]);

    await w.queue.drain(50);
    await completeOpenChecks({ deps: w.app.worker });

    const [run] = w.standIn.checkRuns;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "could not evaluate" } });
    expect(run?.output.summary).toContain(STOPPED_REASON);
    // A redelivery evaluates it again: the delivery was forgotten.
    expect(await w.queue.claimDelivery("delivery-stopped-never-seen")).toBe(true);
  });
});
