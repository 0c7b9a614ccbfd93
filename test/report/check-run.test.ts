import { describe, expect, it } from "vitest";
import { checkRunOutput, couldNotEvaluateOutput, MAX_ANNOTATIONS } from "../../src/report/check-run.js";
import type { Verdict } from "../../src/core/evaluate.js";
import { validateRequestBody } from "../support/github.js";
import { cleanMeshChange, failingPullRequest, noMeshChanges } from "./report-verdicts.js";
import { check, cleanApp } from "../support/check.js";

const UPDATE = "/repos/{owner}/{repo}/check-runs/{check_run_id}";

/** The body completeCheck sends first for this output: what GitHub must accept. */
function firstUpdate(output: ReturnType<typeof checkRunOutput>): unknown {
  const { conclusion, annotations, ...text } = output;
  return { status: "completed", conclusion, output: { ...text, annotations: annotations.slice(0, 50) } };
}

describe("checkRunOutput", () => {
  it("reports a failing pull request: title, summary, details and an annotation per finding and diagnostic", async () => {
    const output = checkRunOutput(failingPullRequest());
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("Failed: 1 error, 2 blocking findings, 1 approval requirement unmet (5 mesh changes)");
    await expect(output.summary).toMatchFileSnapshot("__snapshots__/failing-pull-request.summary.md");
    await expect(output.text).toMatchFileSnapshot("__snapshots__/failing-pull-request.text.md");
    // Blocking → failure; new medium under failOn: high → warning; low, waived and pre-existing → notice;
    // head errors → failure, head warnings → warning. Most severe first.
    expect(output.annotations).toMatchInlineSnapshot(`
      [
        {
          "annotation_level": "failure",
          "end_line": 15,
          "message": "mTLS mode PERMISSIVE for all ports: the selected workloads accept plaintext connections.

      PeerAuthentication shop/catalog · high · blocking (new) · SOC 2 CC6.7
      Explain: /explain MTLS-002",
          "path": "apps/catalog.yaml",
          "start_line": 15,
          "title": "MTLS-002: PeerAuthentication accepts plaintext",
        },
        {
          "annotation_level": "failure",
          "end_line": 1,
          "message": "Application x (core.oam.dev/v1beta1) is in a file that is not valid YAML or JSON (apps/broken.yaml:1): the gate does not inspect it, but a cluster may apply it

      Application /x · high · blocking (new) · SOC 2 CC8.1
      Explain: /explain SCOPE-001",
          "path": "apps/broken.yaml",
          "start_line": 1,
          "title": "SCOPE-001: Mesh resource in a path the gate does not inspect",
        },
        {
          "annotation_level": "failure",
          "end_line": 4,
          "message": "YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }",
          "path": "apps/broken.yaml",
          "start_line": 4,
          "title": "meshgate: cannot read or render this",
        },
        {
          "annotation_level": "warning",
          "end_line": 26,
          "message": "RequestAuthentication shop/cart-jwt, issuer https://auth.example.com: it accepts tokens for any audience (no \`audiences\`)

      RequestAuthentication shop/cart-jwt · medium · new · SOC 2 CC6.1
      Explain: /explain AUTHN-002",
          "path": "apps/cart.yaml",
          "start_line": 26,
          "title": "AUTHN-002: Weak JWT rule (no audiences, or keys not over https)",
        },
        {
          "annotation_level": "warning",
          "end_line": 16,
          "message": "cart/cart: mtls: port 9999 is not a port of cart (8080): Istio applies port-level mTLS to workload ports only",
          "path": "apps/cart.yaml",
          "start_line": 16,
          "title": "meshgate: warning",
        },
        {
          "annotation_level": "notice",
          "end_line": 15,
          "message": "mTLS mode PERMISSIVE for all ports: the selected workloads accept plaintext connections.

      PeerAuthentication shop/billing · high · preexisting · SOC 2 CC6.7
      Explain: /explain MTLS-002",
          "path": "apps/billing.yaml",
          "start_line": 15,
          "title": "MTLS-002: PeerAuthentication accepts plaintext",
        },
        {
          "annotation_level": "notice",
          "end_line": 15,
          "message": "mTLS mode PERMISSIVE for all ports: the selected workloads accept plaintext connections.

      PeerAuthentication shop/orders · high · waived until 2026-12-31 (SEC-7) · SOC 2 CC6.7
      Explain: /explain MTLS-002",
          "path": "apps/orders.yaml",
          "start_line": 15,
          "title": "MTLS-002: PeerAuthentication accepts plaintext",
        },
        {
          "annotation_level": "notice",
          "end_line": 1,
          "message": "Service port 80 (name \`web\`) declares no protocol Istio recognises, so Istio must sniff it

      Service shop/legacy · low · new · SOC 2 CC7.1
      Explain: /explain TRAF-005",
          "path": "apps/legacy.yaml",
          "start_line": 1,
          "title": "TRAF-005: Service port without a declared protocol",
        },
      ]
    `);
    expect(validateRequestBody("PATCH", UPDATE, firstUpdate(output))).toEqual([]);
  });

  it("passes a pull request without mesh changes, with a summary and no details", () => {
    const output = checkRunOutput(noMeshChanges());
    expect(output).toMatchObject({ conclusion: "success", title: "Passed: no mesh changes, 1 non-blocking finding" });
    expect(output.text).toBeUndefined();
    expect(output.summary).toContain("No changes to the rendered mesh.");
    expect(output.annotations.map((a) => `${a.annotation_level} ${a.path}:${a.start_line} ${a.title}`)).toEqual(["notice apps/billing.yaml:15 MTLS-002: PeerAuthentication accepts plaintext"]);
    expect(validateRequestBody("PATCH", UPDATE, firstUpdate(output))).toEqual([]);
  });

  it("passes a clean mesh change with no annotations", async () => {
    const output = checkRunOutput(cleanMeshChange());
    expect(output).toMatchObject({ conclusion: "success", title: "Passed: 6 mesh changes", annotations: [] });
    await expect(output.summary).toMatchFileSnapshot("__snapshots__/clean-mesh-change.summary.md");
  });

  it("stays within GitHub's limits, says what it left out, and moves the diff to the details", () => {
    const verdict = oversized(failingPullRequest());
    const output = checkRunOutput(verdict);
    expect(output.summary.length).toBeLessThanOrEqual(65_535);
    expect(output.text?.length).toBeLessThanOrEqual(65_535);
    expect(output.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(output.annotations.slice(0, 2).map((a) => a.annotation_level)).toEqual(["failure", "failure"]);
    expect(output.summary).toContain(`_Annotations: the ${MAX_ANNOTATIONS} most severe of ${verdict.findings.length + 2} are shown on the files._`);
    expect(output.summary).toContain("_This summary was shortened to fit GitHub's limit of 65,535 characters: the mesh diff is in the details below, and `meshgate check` run locally shows everything._");
    expect(output.text).toContain("### Mesh changes");
    for (const a of output.annotations) {
      expect(a.title.length).toBeLessThanOrEqual(255);
      expect(Buffer.byteLength(a.message, "utf8")).toBeLessThanOrEqual(64 * 1024);
    }
    const long = output.annotations.find((a) => a.message.startsWith("💥"));
    expect(long?.message.endsWith("… truncated to fit GitHub's limit; run `meshgate check` locally for all of it.\n")).toBe(true);
    expect(long?.title).toMatch(/^MTLS-002: x+…$/);
    for (let i = 0; i < output.annotations.length; i += 50) {
      const { conclusion, annotations, ...text } = output;
      expect(validateRequestBody("PATCH", UPDATE, { conclusion, output: { ...text, annotations: annotations.slice(i, i + 50) } })).toEqual([]);
    }
  });
});

describe("couldNotEvaluateOutput", () => {
  it("fails closed, says why and what to do", () => {
    const output = couldNotEvaluateOutput("GitHub truncated the tree of ce58745 (over 100,000 entries)\nand <b>more</b>");
    expect(output).toEqual({
      conclusion: "failure",
      title: "could not evaluate",
      annotations: [],
      summary: `## ❌ meshgate: could not evaluate

meshgate could not evaluate this commit, so the gate fails closed: a change it could not look at never passes.

**Why:** GitHub truncated the tree of ce58745 (over 100,000 entries) and &lt;b&gt;more&lt;/b&gt;.

**What to do:**

- If GitHub was failing or rate-limiting, re-run the check (**Re-run** on this check, or comment \`/recheck\` on the pull request).
- If GitHub truncated what meshgate reads (a tree over its size limit, more than 250 commits), a re-run gives the same answer: split the pull request, or gate it with \`meshgate check\` in CI.
- If it says access was refused, ask an organization owner to check that the meshgate app is installed on this repository with the permissions it asks for (checks: write, pull requests: write, issues: write, contents: read, members: read, metadata: read, merge queues: read), and that any pending permission request has been accepted.
- Run \`meshgate check --base <base> --head <head>\` locally to see the report for this change.
`,
    });
    expect(validateRequestBody("PATCH", UPDATE, firstUpdate(output))).toEqual([]);
  });
});

/**
 * The failing verdict blown up past every limit: 600 more blocking findings (one with a huge
 * message and title) and a resource diff far longer than a summary can hold.
 */
function oversized(verdict: Verdict): Verdict {
  const [first] = verdict.findings;
  if (!first) throw new Error("the failing verdict has findings");
  const extra = Array.from({ length: 600 }, (_, i) => ({ ...first, line: i + 1, fingerprint: `${first.fingerprint}#${i}`, message: i === 0 ? "💥".repeat(40_000) : first.message, title: i === 0 ? "x".repeat(400) : first.title }));
  const [change] = verdict.changes.changes;
  if (!change) throw new Error("the failing verdict has changes");
  const big = Array.from({ length: 40 }, (_, i) => ({ ...change, name: `${change.name}-${i}`, patch: "+  padding: value\n".repeat(200) }));
  return { ...verdict, findings: [...verdict.findings, ...extra], changes: { ...verdict.changes, changes: [...verdict.changes.changes, ...big] } };
}

describe("annotations on files the commit does not have", () => {
  it("leave out a finding on a config file the repository lacks (MTLS-001 without .github/meshgate.yml), which the summary still lists", () => {
    const app = cleanApp("catalog");
    const verdict = check({ base: { "apps/a.yaml": app }, head: { "apps/a.yaml": app.replace("- type: mtls\n", "- type: mtls\n          properties: { mode: PERMISSIVE }\n") } });
    const mesh = verdict.findings.find((f) => f.rule === "MTLS-001");
    expect(mesh?.file).toBe(".github/meshgate.yml");
    const output = checkRunOutput(verdict);
    expect(output.annotations.map((a) => a.path)).not.toContain(".github/meshgate.yml");
    expect(output.annotations.map((a) => `${a.path}:${a.start_line}`)).toContain("apps/a.yaml:15");
    expect(output.summary).toContain("MTLS-001");
  });
});
