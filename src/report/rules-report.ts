import type { Rule } from "../core/rules/rule.js";

/** The catalog as a terminal table: id, severity, controls, title. */
export function rulesText(rules: readonly Rule[]): string {
  const width = (pick: (r: Rule) => string): number => Math.max(0, ...rules.map((r) => pick(r).length));
  const controls = (r: Rule): string => r.controls.join(",");
  const [id, severity, control] = [width((r) => r.id), width((r) => r.severity), width(controls)];
  return rules.map((r) => `${r.id.padEnd(id)}  ${r.severity.padEnd(severity)}  ${controls(r).padEnd(control)}  ${r.title}\n`).join("");
}

export function rulesJson(rules: readonly Rule[]): { id: string; severity: string; controls: string[]; title: string }[] {
  return rules.map((r) => ({ id: r.id, severity: r.severity, controls: r.controls, title: r.title }));
}

/** What `meshgate explain` and the `/explain` command answer: markdown that also reads as plain text. */
export function explainRule(rule: Rule): string {
  return [
    `## ${rule.id}: ${rule.title}`,
    "",
    `Severity: ${rule.severity}. SOC 2: ${rule.controls.join(", ")}.`,
    "",
    rule.description.trim(),
    ...(rule.istioDefault !== undefined ? ["", "### What Istio does by default", "", rule.istioDefault.trim()] : []),
    "",
    "### How to fix it",
    "",
    rule.remediation.trim(),
    "",
    rule.evaluatedBy === "approvals"
      ? "Approval requirements are not waived: they are met by the reviews the check names as still needed."
      : `To accept a finding for a while, add a waiver (rule, resource, justification, ticket, expires) to .github/meshgate.yml on the base branch; to tune the rule, use rules.overrides.${rule.id}.`,
    "",
  ].join("\n");
}

/** The catalog as the README's markdown table (kept equal to the catalog by a test). */
export function rulesMarkdownTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| ${r.id} | ${r.severity} | ${r.controls.join(", ")} | ${r.title.replaceAll("|", "\\|")} |`);
  return ["| id | severity | SOC 2 | title |", "|---|---|---|---|", ...rows].join("\n");
}
