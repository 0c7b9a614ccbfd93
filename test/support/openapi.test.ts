import { describe, expect, it } from "vitest";
import { collectMockProblems, mockGitHub, testOctokit, validateRequestBody } from "./github.js";

describe("validateRequestBody", () => {
  it("accepts a check run GitHub would create", () => {
    expect(validateRequestBody("POST", "/repos/{owner}/{repo}/check-runs", {
      name: "meshgate",
      head_sha: "ce587453ced02b1526dfb4cb910479d431683101",
      status: "in_progress",
      started_at: "2026-11-28T12:00:00Z",
      output: {
        title: "1 blocking finding",
        summary: "…",
        annotations: [{ path: "apps/shop.yaml", start_line: 12, end_line: 12, annotation_level: "failure", title: "MTLS-002", message: "PERMISSIVE" }],
      },
    })).toEqual([]);
  });

  it("names what GitHub would refuse", () => {
    expect(validateRequestBody("post", "/repos/acme/shop/check-runs", {
      head_sha: "ce587453ced02b1526dfb4cb910479d431683101",
      status: "running",
      output: { title: "t", summary: "x".repeat(65_536), annotations: [{ path: "a.yaml", start_line: 1, end_line: 1, annotation_level: "error", message: "m" }] },
    })).toEqual([
      "post /repos/{owner}/{repo}/check-runs: body must have required property 'name'",
      `post /repos/{owner}/{repo}/check-runs: body/status must be equal to one of the allowed values (["queued","in_progress","completed"])`,
      "post /repos/{owner}/{repo}/check-runs: body/output/summary must NOT have more than 65535 characters",
      `post /repos/{owner}/{repo}/check-runs: body/output/annotations/0/annotation_level must be equal to one of the allowed values (["notice","warning","failure"])`,
    ]);
  });

  it("finds an operation by its concrete path, query ignored", () => {
    expect(validateRequestBody("PATCH", "/repos/acme/shop/issues/comments/42?x=1", { body: "hi" })).toEqual([]);
    expect(validateRequestBody("PATCH", "/repos/acme/shop/issues/comments/42", {})).toEqual([
      "patch /repos/{owner}/{repo}/issues/comments/{comment_id}: body must have required property 'body'",
    ]);
  });

  it("refuses an operation GitHub does not have", () => {
    expect(validateRequestBody("POST", "/repos/acme/shop/check-run", {})).toEqual([
      "POST /repos/acme/shop/check-run: no such operation in GitHub's REST description",
    ]);
  });
});

describe("mockGitHub", () => {
  it("fails a test that sends a body GitHub would refuse, leaves a mock unused, or sends an unmocked request", async () => {
    const mock = mockGitHub();
    mock.scope.post("/repos/acme/shop/check-runs").reply(201, { id: 1 }).get("/repos/acme/shop").reply(200, {});
    const octokit = testOctokit();
    // @ts-expect-error: the body GitHub would refuse (no name) is the point
    await octokit.rest.checks.create({ owner: "acme", repo: "shop", head_sha: "ce587453ced02b1526dfb4cb910479d431683101" });
    await expect(octokit.rest.issues.get({ owner: "acme", repo: "shop", issue_number: 1 })).rejects.toThrow();
    expect(() => { mock.done(); }).toThrow("GitHub mock:");
    // What test/setup.ts would fail this test with; collecting it also clears it.
    expect(collectMockProblems()).toEqual([
      "request matched no mock: GET /repos/acme/shop/issues/1",
      "post /repos/{owner}/{repo}/check-runs: body must have required property 'name'",
      "mock left pending: GET https://api.github.com:443/repos/acme/shop",
    ]);
  });
});
