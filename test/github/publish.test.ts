import { describe, expect, it, vi } from "vitest";
import { completeCheck, startCheck, upsertComment } from "../../src/github/publish.js";
import type { CheckAnnotation, CheckRunOutput } from "../../src/report/check-run.js";
import { COMMENT_MARKER, NO_MESH_CHANGES_COMMENT } from "../../src/report/comment.js";
import { mockGitHub, testOctokit } from "../support/github.js";

const repo = { owner: "acme", repo: "shop" };
const HEAD = "ce587453ced02b1526dfb4cb910479d431683101";
const COMMENTS = "/repos/acme/shop/issues/7/comments";

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({ path: "apps/catalog.yaml", start_line: i + 1, end_line: i + 1, annotation_level: "failure", title: "MTLS-002: PeerAuthentication accepts plaintext", message: `finding ${i + 1}` }));
}

function output(count: number): CheckRunOutput {
  return { conclusion: "failure", title: "Failed: 1 blocking finding (1 mesh change)", summary: "## ❌ meshgate", text: "### Diagnostics", annotations: annotations(count) };
}

/** An issue comment as GitHub lists it (the fields publish reads, plus enough to look real). */
function comment(id: number, body: string, user: { login: string; type: "Bot" | "User" }): object {
  return { id, body, user: { ...user, id: id + 1000 }, html_url: `https://github.com/acme/shop/pull/7#issuecomment-${id}` };
}
const bot = { login: "meshgate[bot]", type: "Bot" } as const;
const maria = { login: "maria", type: "User" } as const;

describe("startCheck", () => {
  it("creates the check run meshgate in progress on the head commit", async () => {
    const mock = mockGitHub();
    mock.scope.post("/repos/acme/shop/check-runs").reply(201, { id: 42 });
    expect(await startCheck({ octokit: testOctokit(), repo, headSha: HEAD })).toBe(42);
    expect(mock.requests).toEqual([{ method: "POST", path: "/repos/acme/shop/check-runs", body: { name: "meshgate", head_sha: HEAD, status: "in_progress" } }]);
    mock.done();
  });
});

describe("completeCheck", () => {
  it("completes with the conclusion and the output in one request when the annotations fit", async () => {
    const mock = mockGitHub();
    mock.scope.patch("/repos/acme/shop/check-runs/42").reply(200, { id: 42 });
    const withoutText: CheckRunOutput = { conclusion: "failure", title: "Failed: 1 blocking finding (1 mesh change)", summary: "## ❌ meshgate", annotations: [] };
    await completeCheck({ octokit: testOctokit(), repo, checkRunId: 42, output: withoutText });
    expect(mock.requests).toEqual([
      { method: "PATCH", path: "/repos/acme/shop/check-runs/42", body: { status: "completed", conclusion: "failure", output: { title: "Failed: 1 blocking finding (1 mesh change)", summary: "## ❌ meshgate" } } },
    ]);
    mock.done();
  });

  it("sends annotations 50 per request: the first completes the check, the others append", async () => {
    const mock = mockGitHub();
    mock.scope.patch("/repos/acme/shop/check-runs/42").times(3).reply(200, { id: 42 });
    await completeCheck({ octokit: testOctokit(), repo, checkRunId: 42, output: output(120) });
    const text = { title: "Failed: 1 blocking finding (1 mesh change)", summary: "## ❌ meshgate", text: "### Diagnostics" };
    const all = annotations(120);
    expect(mock.requests.map((r) => r.body)).toEqual([
      { status: "completed", conclusion: "failure", output: { ...text, annotations: all.slice(0, 50) } },
      { output: { ...text, annotations: all.slice(50, 100) } },
      { output: { ...text, annotations: all.slice(100) } },
    ]);
    mock.done();
  });
});

describe("upsertComment", () => {
  it("creates the comment when the pull request has none of meshgate's, leaving look-alikes by people alone", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" })
      .reply(200, [comment(1, "LGTM", maria), comment(2, `${COMMENT_MARKER}\npasted by hand`, maria), comment(3, `> ${COMMENT_MARKER} quoted`, bot)])
      .post(COMMENTS).reply(201, comment(9, "report", bot));
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nreport` });
    expect(mock.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ["GET", `${COMMENTS}?per_page=100`, undefined],
      ["POST", COMMENTS, { body: `${COMMENT_MARKER}\nreport` }],
    ]);
    mock.done();
  });

  it("updates meshgate's comment in place, found on a later page", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" })
      .reply(200, [comment(1, "LGTM", maria)], { link: `<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; rel="next"` })
      .get("/repositories/1/issues/7/comments").query({ per_page: "100", page: "2" })
      .reply(200, [comment(5, `${COMMENT_MARKER}\nold report`, bot)])
      .patch("/repos/acme/shop/issues/comments/5").reply(200, comment(5, "new", bot));
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nnew report` });
    expect(mock.requests.at(-1)).toEqual({ method: "PATCH", path: "/repos/acme/shop/issues/comments/5", body: { body: `${COMMENT_MARKER}\nnew report` } });
    mock.done();
  });

  it("writes nothing when the comment already says it, or when there is nothing to say and no comment", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(5, `${COMMENT_MARKER}\nreport`, bot)])
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(1, "LGTM", maria)]);
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nreport` });
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: undefined });
    expect(mock.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
    mock.done();
  });

  it("says so in the comment when the pull request no longer changes the mesh", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(5, `${COMMENT_MARKER}\nold report`, bot)])
      .patch("/repos/acme/shop/issues/comments/5").reply(200, comment(5, NO_MESH_CHANGES_COMMENT, bot));
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: undefined });
    expect(mock.requests.at(-1)?.body).toEqual({
      body: `${COMMENT_MARKER}
## ✅ meshgate: no mesh changes any more

This pull request no longer changes the rendered mesh, and has no findings of its own. The check run \`meshgate\` has the details.
`,
    });
    mock.done();
  });

  it("lists the comments while the body is still on its way, so that only the write is left once it comes", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(5, `${COMMENT_MARKER}\nold report`, bot)])
      .patch("/repos/acme/shop/issues/comments/5").reply(200, comment(5, "new", bot));
    let resolveBody: (body: string) => void = () => undefined;
    const body = new Promise<string>((resolve) => {
      resolveBody = resolve;
    });
    const upserted = upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body });
    await vi.waitFor(() => {
      expect(mock.requests.map((r) => r.method)).toEqual(["GET"]);
    });
    resolveBody(`${COMMENT_MARKER}\nnew report`);
    await upserted;
    expect(mock.requests.map((r) => [r.method, r.body])).toEqual([
      ["GET", undefined],
      ["PATCH", { body: `${COMMENT_MARKER}\nnew report` }],
    ]);
    mock.done();
  });

  it("leaves the comment as it is when the body is null (the evaluation failed), and deletes nothing", async () => {
    const mock = mockGitHub();
    mock.scope.get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(5, `${COMMENT_MARKER}\na`, bot), comment(6, `${COMMENT_MARKER}\nb`, bot)]);
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: Promise.resolve(null) });
    expect(mock.requests.map((r) => r.method)).toEqual(["GET"]);
    mock.done();
  });

  it("deletes a duplicate a past race left, keeping the oldest", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(5, `${COMMENT_MARKER}\na`, bot), comment(6, `${COMMENT_MARKER}\nb`, bot)])
      .delete("/repos/acme/shop/issues/comments/6").reply(204)
      .patch("/repos/acme/shop/issues/comments/5").reply(200, comment(5, "c", bot));
    await upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nc` });
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${COMMENTS}?per_page=100`, "DELETE /repos/acme/shop/issues/comments/6", "PATCH /repos/acme/shop/issues/comments/5"]);
    mock.done();
  });

  it("never creates two comments when two deliveries for one pull request upsert at once", async () => {
    const mock = mockGitHub();
    // The first listing is slow: without the lock, the second delivery would list before the first created.
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).delay(50).reply(200, [])
      .post(COMMENTS).reply(201, comment(9, `${COMMENT_MARKER}\nfirst`, bot))
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [comment(9, `${COMMENT_MARKER}\nfirst`, bot)])
      .patch("/repos/acme/shop/issues/comments/9").reply(200, comment(9, "second", bot));
    await Promise.all([
      upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nfirst` }),
      upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nsecond` }),
    ]);
    expect(mock.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET", "PATCH"]);
    mock.done();
  });

  it("lets the next upsert run after one fails, and does not hold up other pull requests", async () => {
    const mock = mockGitHub();
    mock.scope
      .get(COMMENTS).query({ per_page: "100" }).delay(50).reply(500, { message: "boom" })
      .get("/repos/acme/shop/issues/8/comments").query({ per_page: "100" }).reply(200, [])
      .post("/repos/acme/shop/issues/8/comments").reply(201, comment(10, "other", bot))
      .get(COMMENTS).query({ per_page: "100" }).reply(200, [])
      .post(COMMENTS).reply(201, comment(9, "retry", bot));
    const results = await Promise.allSettled([
      upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nfails` }),
      upsertComment({ octokit: testOctokit(), repo, issueNumber: 8, body: `${COMMENT_MARKER}\nother` }),
      upsertComment({ octokit: testOctokit(), repo, issueNumber: 7, body: `${COMMENT_MARKER}\nretry` }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    // Pull request 8 went ahead while 7's first listing was still pending.
    expect(mock.requests.map((r) => `${r.method} ${r.path.split("?")[0] ?? ""}`)).toEqual([
      `GET ${COMMENTS}`,
      "GET /repos/acme/shop/issues/8/comments",
      "POST /repos/acme/shop/issues/8/comments",
      `GET ${COMMENTS}`,
      `POST ${COMMENTS}`,
    ]);
    mock.done();
  });
});
