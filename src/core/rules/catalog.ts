import { parseYamlFile } from "../manifests/yaml-file.js";
import { compileSchema, type SchemaCheck } from "../schema-check.js";
import type { Diagnostic } from "../types.js";
import type { Rule } from "./rule.js";
import { TEMPLATES } from "./templates/index.js";

const ruleSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "title", "severity", "controls", "description", "remediation", "message"],
  properties: {
    id: { type: "string", pattern: "^[A-Z]+-[0-9]{3}$" },
    title: { type: "string", minLength: 1 },
    severity: { type: "string", enum: ["critical", "high", "medium", "low"] },
    controls: { type: "array", minItems: 1, items: { type: "string", pattern: "^(CC|A|C|PI|P)[0-9]+\\.[0-9]+$" } },
    description: { type: "string", minLength: 1 },
    istioDefault: { type: "string", minLength: 1 },
    remediation: { type: "string", minLength: 1 },
    message: { type: "string", minLength: 1 },
    evaluatedBy: { type: "string", enum: ["approvals"] },
    check: {
      type: "object",
      additionalProperties: false,
      required: ["template"],
      properties: { template: { type: "string", minLength: 1 }, params: { type: "object" } },
    },
  },
} as const;

const checkRule = compileSchema(ruleSchema);
const paramChecks = new Map<string, SchemaCheck>();

export interface Catalog {
  /** Sorted by id. */
  rules: Rule[];
  diagnostics: Diagnostic[];
}

/**
 * Reads the rule catalog from `rules/<ID>.yaml` texts. A rule that is malformed, names an
 * unknown template or passes it bad params is a diagnostic and is left out; a file's name
 * must be its rule's id, so that ids stay unique.
 */
export function loadCatalog(files: ReadonlyMap<string, string>): Catalog {
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parsed = parseYamlFile(file, text);
    diagnostics.push(...parsed.diagnostics);
    const document = parsed.documents[0];
    if (!document) continue;
    const value: unknown = document.value;
    const report = (message: string, path: (string | number)[] = []): void => {
      diagnostics.push({ file, line: document.lineOf(path), severity: "error", message });
    };
    const issues = checkRule(value);
    for (const issue of issues) report(`invalid rule: ${issue.message}`, issue.path);
    if (issues.length > 0) continue;
    const rule = { ...(value as Omit<Rule, "file">), file };
    if (!file.endsWith(`${rule.id}.yaml`)) {
      report(`rule ${rule.id} must be in a file named ${rule.id}.yaml`, ["id"]);
      continue;
    }
    // A template checks the rule, or the approval evaluation does: one of the two, never both.
    if ((rule.check === undefined) === (rule.evaluatedBy === undefined)) {
      report(`rule ${rule.id} needs either \`check\` (a template) or \`evaluatedBy: approvals\`, not ${rule.check ? "both" : "neither"}`);
      continue;
    }
    if (!rule.check) {
      rules.push(rule);
      continue;
    }
    const template = TEMPLATES.get(rule.check.template);
    if (!template) {
      report(`rule ${rule.id} names an unknown template \`${rule.check.template}\`; known: ${[...TEMPLATES.keys()].sort().join(", ")}`, ["check", "template"]);
      continue;
    }
    let paramCheck = paramChecks.get(template.name);
    if (!paramCheck) {
      paramCheck = compileSchema(template.paramsSchema);
      paramChecks.set(template.name, paramCheck);
    }
    rule.check = { template: rule.check.template, params: structuredClone(rule.check.params ?? {}) };
    const paramIssues = paramCheck(rule.check.params);
    for (const issue of paramIssues) report(`rule ${rule.id}: invalid params for template ${template.name}: ${issue.message}`, ["check", "params", ...issue.path]);
    if (paramIssues.length > 0) continue;
    rules.push(rule);
  }
  return { rules: rules.sort((a, b) => (a.id < b.id ? -1 : 1)), diagnostics };
}
