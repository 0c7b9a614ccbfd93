import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { git } from "../support/git.js";
import { reviewsFile } from "../support/reviews-file.js";
import { tempTree } from "../support/temp-tree.js";

interface CheckJsonOutput {
  conclusion: string;
  findings: { rule: string; severity: string; status: string; blocking: boolean; kind: string | null; namespace: string | null; name: string | null; file: string; line: number }[];
  changes: unknown[];
  approvals: { rule: string; status: string; description: string }[];
}

const NOW = ["--now", "2026-11-28T12:00:00Z"];

describe("meshgate check on the example", () => {
  it("passes the example against itself, with no critical or high finding", async () => {
    const run = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop", "--format", "json", ...NOW]);
    const output = JSON.parse(run.stdout) as CheckJsonOutput;
    expect(run.code).toBe(0);
    expect(output.conclusion).toBe("success");
    expect(output.findings.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual([]);
  });

  it("fails the example's pull request for the right reason, and passes once it is fixed", async () => {
    const failing = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "json", ...NOW]);
    expect(failing.code).toBe(1);
    const output = JSON.parse(failing.stdout) as CheckJsonOutput;
    expect(output.findings.filter((f) => f.blocking).map((f) => `${f.rule} ${f.kind ?? ""} ${f.namespace ?? ""}/${f.name ?? ""} ${f.file}:${f.line}`)).toEqual([
      "MTLS-002 PeerAuthentication shop/checkout apps/checkout.yaml:19",
    ]);

    const fixed = tempTree();
    cpSync("examples/shop-pr", fixed, { recursive: true });
    const checkout = join(fixed, "apps/checkout.yaml");
    writeFileSync(checkout, readFileSync(checkout, "utf8").replace("properties: { mode: PERMISSIVE }", "properties: { mode: STRICT }"));
    const passing = await runCli(["check", "--base", "examples/shop", "--head", fixed, "--format", "json", ...NOW]);
    expect((JSON.parse(passing.stdout) as CheckJsonOutput).conclusion).toBe("success");
    expect(passing.code).toBe(0);
  });

  it("prints SARIF 2.1.0 with the catalog and physical locations", async () => {
    const run = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "sarif", ...NOW]);
    const log = JSON.parse(run.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; baselineState: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    expect(log.version).toBe("2.1.0");
    const [sarifRun] = log.runs;
    expect(sarifRun?.tool.driver.rules.map((r) => r.id)).toContain("MTLS-002");
    expect(sarifRun?.results.find((r) => r.ruleId === "MTLS-002")).toMatchObject({
      level: "error",
      baselineState: "new",
      locations: [{ physicalLocation: { artifactLocation: { uri: "apps/checkout.yaml" }, region: { startLine: 19 } } }],
    });
  });

  it("prints the markdown a pull request shows: conclusion, findings by severity, then the diff", async () => {
    const run = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "markdown", ...NOW]);
    expect(run.stdout).toMatch(/^## ❌ meshgate: Failed: 1 blocking finding \(4 mesh changes\)\n/);
    expect(run.stdout).toContain("| **blocking** (new) | MTLS-002 | CC6.7 | PeerAuthentication shop/checkout | <code>apps/checkout.yaml:19</code> |");
    expect(run.stdout.indexOf("### Findings")).toBeLessThan(run.stdout.indexOf("### Mesh changes"));
  });
});

describe("meshgate check --reviews", () => {
  // li is in every team that owns the example's files; sam alone is the security team.
  const teams = { "acme/payments": ["li"], "acme/platform": ["li"], "acme/storefront": ["li"], "acme/catalog": ["li"], "acme/security": ["sam"] };
  const reviews = (overrides: Record<string, unknown> = {}): string => reviewsFile({ teams, ...overrides });

  it("evaluates the approval rules, naming who approved and who is still needed", async () => {
    const run = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "json", "--reviews", reviews(), ...NOW]);
    const output = JSON.parse(run.stdout) as CheckJsonOutput;
    expect(output.approvals.map((a) => a.rule)).toContain("CHG-001");
    const security = output.approvals.filter((a) => a.rule === "CHG-002" && a.description.includes("security"));
    expect(security.map((a) => a.status)).toEqual(["pending"]);
    expect(security[0]?.description).toContain("@acme/security");
    expect(run.code).toBe(1);
  });

  it("is satisfied when the security team approves too (the mTLS finding still blocks)", async () => {
    const file = reviews({
      reviews: [
        { reviewer: "li", state: "APPROVED", commitId: "b2", submittedAt: "2026-11-28T10:00:00Z" },
        { reviewer: "sam", state: "APPROVED", commitId: "b2", submittedAt: "2026-11-28T10:05:00Z" },
      ],
    });
    const output = JSON.parse((await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "json", "--reviews", file, ...NOW])).stdout) as CheckJsonOutput;
    expect(output.approvals.filter((a) => a.status !== "satisfied")).toEqual([]);
    expect(output.findings.filter((f) => f.blocking).map((f) => f.rule)).toEqual(["MTLS-002"]);
  });

  it("refuses an invalid reviews file with its line, exit 2", async () => {
    const dir = tempTree();
    const file = join(dir, "reviews.json");
    writeFileSync(file, JSON.stringify({ author: "maria" }));
    const run = await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--reviews", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid reviews file: missing required key `headSha`");
  });

  it("leaves the approval rules out without --reviews", async () => {
    const output = JSON.parse((await runCli(["check", "--base", "examples/shop", "--head", "examples/shop-pr", "--format", "json", ...NOW])).stdout) as CheckJsonOutput;
    expect(output.approvals).toEqual([]);
  });
});

describe("meshgate check on git revisions", () => {
  it("reads config from the base revision and compares the head with the merge base", async () => {
    const repo = tempTree();
    git(repo, "init", "-q", "-b", "main");
    cpSync("examples/shop", repo, { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "base");
    git(repo, "checkout", "-q", "-b", "pr");
    cpSync("examples/shop-pr", repo, { recursive: true });
    git(repo, "commit", "-q", "-am", "pr");
    const run = await runCli(["check", "--base", "main", "--head", "pr", "--format", "json", ...NOW], repo);
    const output = JSON.parse(run.stdout) as CheckJsonOutput;
    expect(output.findings.filter((f) => f.blocking).map((f) => f.rule)).toEqual(["MTLS-002"]);
    expect(run.code).toBe(1);
  });
});

describe("meshgate check usage", () => {
  it.each([
    [["check"], "check needs --base and --head"],
    [["check", "--base", "examples/shop", "--head", "examples/shop", "--format", "pdf"], "--format must be text, markdown, json or sarif"],
    [["check", "--base", "examples/shop", "--head", "no-such-thing"], "is neither a directory nor a git revision"],
    [["check", "--base", "examples/shop", "--head", "examples/shop", "--now", "yesterday"], "--now must be an ISO 8601 time"],
  ])("exits 2: %j", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("meshgate rules and explain", () => {
  it("lists the catalog", async () => {
    const run = await runCli(["rules", "--format", "json"]);
    const rules = JSON.parse(run.stdout) as { id: string; severity: string; controls: string[] }[];
    expect(rules.find((r) => r.id === "AUTHN-001")).toEqual(expect.objectContaining({ severity: "critical", controls: ["CC6.1", "CC6.6"] }));
    expect((await runCli(["rules"])).stdout).toMatch(/^AUTHN-001 +critical +CC6\.1,CC6\.6 +/m);
  });

  it("explains a rule: description, Istio's default, remediation", async () => {
    const run = await runCli(["explain", "traf-004"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## TRAF-004: /);
    expect(run.stdout).toContain("### What Istio does by default");
    expect(run.stdout).toContain("### How to fix it");
    expect((await runCli(["explain", "NOPE-001"])).code).toBe(2);
  });

  it.each(["MESH-003", "MESH-004", "MESH-005", "MESH-006", "EDGE-007", "EDGE-008", "EDGE-009", "OBS-001", "AVAIL-001", "AVAIL-002"])("explains %s, with its severity, controls and fix", async (id) => {
    const run = await runCli(["explain", id.toLowerCase()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^## ${id}: `));
    expect(run.stdout).toContain("### How to fix it");
  });
});
