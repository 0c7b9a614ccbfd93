import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";

// `meshgate explain` answers for every rule the catalog holds: the rule files are read here on
// their own, so a rule the loader drops (or one explain cannot find) fails this test.

interface RuleFile {
  id: string;
  title: string;
  severity: string;
  controls: string[];
  remediation: string;
}

const RULES_DIR = new URL("../../rules/", import.meta.url);
const files: RuleFile[] = readdirSync(RULES_DIR)
  .filter((name) => name.endsWith(".yaml"))
  .sort()
  .map((name) => parse(readFileSync(new URL(name, RULES_DIR), "utf8")) as RuleFile);

describe("meshgate explain covers the whole catalog", () => {
  it("reads every rule file", () => {
    expect(files.length).toBeGreaterThan(60);
    expect(files.map((f) => f.id)).toEqual(expect.arrayContaining(["AUTHZ-001", "AUTHN-001", "MESH-006", "OBS-001", "AVAIL-002", "SCOPE-002", "CHG-001"]));
  });

  it("lists every rule file in `meshgate rules`", async () => {
    const run = await runCli(["rules", "--format", "json"]);
    const listed = (JSON.parse(run.stdout) as { id: string }[]).map((r) => r.id).sort();
    expect(listed).toEqual(files.map((f) => f.id).sort());
  });

  it.each(files.map((f) => [f.id, f] as const))("explains %s: severity, SOC 2 controls and remediation", async (id, file) => {
    const run = await runCli(["explain", id]);
    expect(run.code, run.stderr).toBe(0);
    expect(file.controls.length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(new RegExp(`^## ${id}: `));
    expect(run.stdout).toContain(`Severity: ${file.severity}. SOC 2: ${file.controls.join(", ")}.`);
    const fix = run.stdout.split("### How to fix it")[1] ?? "";
    expect(fix.replace(/\s+/g, " ")).toContain(file.remediation.trim().replace(/\s+/g, " "));
  });
});
