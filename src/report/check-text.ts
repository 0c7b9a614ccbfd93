import type { Verdict } from "../core/evaluate.js";
import { diffText } from "./diff-text.js";

/** `meshgate check` for a terminal: the outcome, the findings one a line, approvals, then the diff. */
export function checkText(verdict: Verdict): string {
  const lines = [`${verdict.conclusion === "success" ? "PASS" : "FAIL"}  ${verdict.title}`, ""];
  if (verdict.findings.length === 0) lines.push("No findings.");
  for (const f of verdict.findings) {
    const status = f.status === "waived" && f.waiver ? `waived until ${f.waiver.expires} (${f.waiver.ticket})` : f.blocking ? `BLOCKING ${f.status}` : f.status;
    const resource = f.resource ? `${f.resource.kind} ${f.resource.namespace}/${f.resource.name}` : "mesh config";
    const expired = f.waiver?.expired ? ` [waiver ${f.waiver.ticket} expired ${f.waiver.expires}]` : "";
    const defined = f.definition ? ` [rendered by ${f.definition.name}, ${f.definition.file}:${f.definition.line}]` : "";
    lines.push(`${f.file}:${f.line}: ${f.severity} ${f.rule} [${f.controls.join(", ")}] ${resource}: ${f.message} (${status})${expired}${defined}`);
  }
  if (verdict.approvals) {
    lines.push("", "Approvals:");
    for (const r of verdict.approvals.requirements) lines.push(`  ${r.status.padEnd(13)} ${r.rule} ${r.description}`);
  }
  lines.push("", diffText(verdict.changes));
  return `${lines.join("\n").trimEnd()}\n`;
}
