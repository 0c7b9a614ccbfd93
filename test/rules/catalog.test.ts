import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ISTIO_CODES, ruleIdOf } from "../../src/core/analyzers/codes.js";
import { gateCodes, istioRuleFiles } from "../../src/core/analyzers/istio-rules.js";
import { implementedCodes } from "../../src/core/analyzers/run-analyzers.js";
import { loadCatalog } from "../../src/core/rules/catalog.js";
import { rulesMarkdownTable } from "../../src/report/rules-report.js";
import { catalogRules } from "../support/rules.js";

const rules = catalogRules();

describe("the rule catalog and its documentation", () => {
  it("holds the catalog's rules, with their severity and SOC 2 controls", () => {
    expect(Object.fromEntries(rules.filter((r) => !r.id.startsWith("IST-")).map((r) => [r.id, `${r.severity} ${r.controls.join(",")}`]))).toEqual({
      "MTLS-001": "high CC6.7",
      "MTLS-002": "high CC6.7",
      "MTLS-003": "high CC6.7",
      "MTLS-004": "high CC6.7",
      "EDGE-001": "high CC6.7,CC6.6",
      "EDGE-002": "high CC6.7",
      "EDGE-003": "high CC6.6",
      "EDGE-004": "medium CC6.6",
      "EDGE-006": "high CC6.6,CC6.1",
      "EDGE-007": "high CC6.1,CC6.6",
      "EDGE-008": "high CC6.6,CC6.1",
      "EDGE-009": "high CC6.6,CC8.1",
      "AUTHZ-001": "high CC6.1",
      "AUTHZ-002": "critical CC6.1",
      "AUTHZ-003": "high CC6.1",
      "AUTHN-001": "critical CC6.1,CC6.6",
      "AUTHN-002": "high CC6.1",
      "EGRESS-002": "high CC6.6",
      "MESH-002": "high CC6.1,CC6.8",
      "SCOPE-001": "high CC8.1",
      "MESH-003": "critical CC6.1,CC6.8",
      "MESH-004": "high CC6.1,CC6.8",
      "MESH-005": "high CC6.1,CC6.6",
      "MESH-006": "high CC6.1",
      "OBS-001": "high CC7.2",
      "AVAIL-001": "high CC7.1,A1.2",
      "AVAIL-002": "medium CC7.1,A1.2",
      "SCOPE-002": "high CC8.1",
      "TRAF-001": "high CC7.1",
      "TRAF-002": "medium CC7.1",
      "TRAF-003": "medium CC7.1,CC8.1",
      "TRAF-004": "medium CC7.1",
      "TRAF-005": "low CC7.1",
      "CHG-001": "critical CC8.1,CC5.1",
      "CHG-002": "high CC8.1,CC6.1",
      "CHG-003": "high CC8.1",
      "CHG-004": "critical CC8.1,CC6.8",
    });
    expect(rules.filter((r) => r.evaluatedBy === "approvals").map((r) => r.id)).toEqual(["CHG-001", "CHG-002", "CHG-003", "CHG-004"]);
  });

  it("holds one IST rule per code the analyzers report, generated from the code registry (`npm run generate`)", () => {
    const files = istioRuleFiles();
    for (const [path, text] of files) expect(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"), path).toBe(text);
    expect(rules.filter((r) => r.id.startsWith("IST-")).map((r) => r.id)).toEqual(gateCodes().map((c) => ruleIdOf(c.code)));
    // A code another rule covers has no IST rule, and that rule exists: one finding for one fault.
    const covered = ISTIO_CODES.filter((c) => implementedCodes().includes(c.code) && c.coveredBy !== undefined);
    expect(covered.map((c) => `${c.code} ${c.coveredBy}`)).toEqual(["IST0118 TRAF-005"]);
    for (const code of covered) expect(rules.some((r) => r.id === code.coveredBy), code.code).toBe(true);
    const levels = { Error: "high", Warning: "medium", Info: "low" };
    for (const code of gateCodes()) {
      expect(rules.find((r) => r.id === ruleIdOf(code.code))?.severity, code.code).toBe(levels[code.level]);
    }
  });

  it("is the table the README shows (`npm run generate` rewrites it)", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(rulesMarkdownTable(rules));
  });

  it("reports a malformed rule, an unknown template and bad params, and leaves them out", () => {
    const catalog = loadCatalog(
      new Map([
        ["rules/X-001.yaml", "id: X-001\ntitle: t\n"],
        ["rules/X-002.yaml", "id: X-002\ntitle: t\nseverity: high\ncontrols: [CC6.1]\ndescription: d\nremediation: r\nmessage: m\ncheck: { template: no-such-template }\n"],
        ["rules/X-004.yaml", "id: X-004\ntitle: t\nseverity: high\ncontrols: [CC6.1]\ndescription: d\nremediation: r\nmessage: m\n"],
        ["rules/X-003.yaml", "id: X-003\ntitle: t\nseverity: high\ncontrols: [CC6.1]\ndescription: d\nremediation: r\nmessage: m\ncheck: { template: route-weights, params: { totl: 100 } }\n"],
      ]),
    );
    expect(catalog.rules).toEqual([]);
    expect(catalog.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(expect.arrayContaining(["rules/X-001.yaml:1", "rules/X-002.yaml:8", "rules/X-003.yaml:8"]));
    expect(catalog.diagnostics.find((d) => d.file === "rules/X-002.yaml")?.message).toContain("unknown template `no-such-template`");
    expect(catalog.diagnostics.find((d) => d.file === "rules/X-004.yaml")?.message).toContain("needs either `check` (a template) or `evaluatedBy: approvals`, not neither");
  });
});
