import { describe, expect, it } from "vitest";
import type { Verdict } from "../../src/core/evaluate.js";
import { COMMENT_MARKER, NO_MESH_CHANGES_COMMENT, pullRequestComment } from "../../src/report/comment.js";
import { validateRequestBody } from "../support/github.js";
import { cleanMeshChange, failingPullRequest, noMeshChanges } from "./report-verdicts.js";

const CREATE = "/repos/{owner}/{repo}/issues/{issue_number}/comments";

describe("pullRequestComment", () => {
  it("says nothing on a pull request that leaves the mesh alone, even where the repository has pre-existing findings", () => {
    const verdict = noMeshChanges();
    expect(verdict.findings.map((f) => f.status)).toEqual(["preexisting"]);
    expect(pullRequestComment(verdict)).toBeUndefined();
  });

  it("comments on a pull request without mesh changes that still has something of its own to fix", () => {
    const quiet = noMeshChanges();
    const blockingPreexisting: Verdict = { ...quiet, findings: quiet.findings.map((f) => ({ ...f, blocking: true })) };
    expect(pullRequestComment(blockingPreexisting)?.startsWith(`${COMMENT_MARKER}\n## ✅ meshgate:`)).toBe(true);
    const brokenHead: Verdict = { ...quiet, diagnostics: { ...quiet.diagnostics, head: [{ file: "apps/x.yaml", line: 3, severity: "error", message: "YAML syntax error" }] } };
    expect(pullRequestComment(brokenHead)).toContain("- <code>apps/x.yaml:3</code> YAML syntax error");
  });

  it.each([
    ["a backtick, a heading and an HTML comment", "apps/x`<h2>✅ meshgate: Passed</h2><!--.yaml", "apps/x\\`&lt;h2&gt;✅ meshgate: Passed&lt;/h2&gt;&lt;!--.yaml"],
    ["a line break and a markdown heading", "apps/x\n## ✅ meshgate: Passed\n.yaml", "apps/x⏎## ✅ meshgate: Passed⏎.yaml"],
  ])("escapes a file name with %s: it cannot inject a heading or hide the report", (_, path, shown) => {
    const failing = failingPullRequest();
    const [finding] = failing.findings;
    if (!finding) throw new Error("the failing verdict has a finding");
    const hostile: Verdict = {
      ...failing,
      findings: [{ ...finding, file: path }, ...failing.findings.slice(1)],
      diagnostics: { ...failing.diagnostics, head: [{ file: path, line: 1, severity: "error", message: "YAML syntax error" }] },
    };
    const body = pullRequestComment(hostile) ?? "";
    const lines = body.split("\n");
    // One heading at level 2, the report's own; one HTML comment, the marker; the path shown escaped.
    expect(lines.filter((l) => /^\s{0,3}##\s/.test(l))).toEqual([lines[1]]);
    expect(lines[1]).toMatch(/^## ❌ meshgate: Failed/);
    expect(body.split("<!--")).toHaveLength(2);
    expect(body).not.toContain("<h2>");
    expect(body).toContain(`<code>${shown}:1</code>`);
  });

  it("reports a mesh change under the marker: the check summary a reviewer reads in the conversation", async () => {
    const body = pullRequestComment(failingPullRequest());
    expect(body?.split("\n").slice(0, 2)).toEqual([COMMENT_MARKER, "## ❌ meshgate: Failed: 1 error, 2 blocking findings, 1 approval requirement unmet (5 mesh changes)"]);
    await expect(body).toMatchFileSnapshot("__snapshots__/failing-pull-request.comment.md");
    expect(validateRequestBody("POST", CREATE, { body })).toEqual([]);
  });

  it("comments on a clean mesh change too: the diff is worth reading", () => {
    const body = pullRequestComment(cleanMeshChange());
    expect(body).toContain("<details><summary>added <code>VirtualService shop/orders</code>");
  });

  it("stays within GitHub's 65,536 characters and says what it left out", () => {
    const verdict = cleanMeshChange();
    const [change] = verdict.changes.changes;
    if (!change) throw new Error("the clean change has changes");
    const big = Array.from({ length: 60 }, (_, i) => ({ ...change, name: `${change.name}-${i}`, patch: "+  padding: value\n".repeat(200) }));
    const body = pullRequestComment({ ...verdict, changes: { ...verdict.changes, changes: [...verdict.changes.changes, ...big] } }) ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/_Not shown, to stay within [\d,]+ characters: the diffs of \d+ more resources\. Run `meshgate diff` locally for everything\._\n$/);
    expect(validateRequestBody("POST", CREATE, { body })).toEqual([]);
  });

  it("has a note for when the pull request no longer changes the mesh, under the same marker", () => {
    expect(NO_MESH_CHANGES_COMMENT.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(validateRequestBody("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", { body: NO_MESH_CHANGES_COMMENT })).toEqual([]);
  });
});
