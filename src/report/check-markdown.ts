import type { Severity } from "../core/config/config.js";
import type { Verdict } from "../core/evaluate.js";
import type { ApprovalRequirement } from "../core/owners/approvals.js";
import type { Diagnostic } from "../core/types.js";
import { COMMENT_LIMIT, diffMarkdown } from "./diff-markdown.js";
import { code, inline } from "./markdown-text.js";

type ReportFinding = Verdict["findings"][number];

const SEVERITIES: Severity[] = ["critical", "high", "medium", "low"];
const ICON: Record<Verdict["conclusion"], string> = { success: "✅", failure: "❌" };
const REQUIREMENT_ICON: Record<ApprovalRequirement["status"], string> = { satisfied: "✅", pending: "⏳", "failed-closed": "⛔" };

/**
 * The report a reviewer reads (check summary and PR comment): the conclusion, errors, findings
 * by severity with rule, SOC 2 controls, resource and `file:line`, approvals, waivers, then the
 * mesh diff. Kept within `maxLength`: the diff gives way first, then the lists say what they left out.
 */
export function checkMarkdown(verdict: Verdict, options: { maxLength?: number } = {}): string {
  const maxLength = options.maxLength ?? COMMENT_LIMIT;
  const head = [
    `## ${ICON[verdict.conclusion]} meshgate: ${inline(verdict.title)}\n`,
    errorsSection(verdict),
    findingsSection(verdict.findings),
    approvalsSection(verdict),
  ]
    .filter((part) => part !== "")
    .join("\n");
  const room = maxLength - head.length - 2;
  if (room < 200) return truncate(head, maxLength);
  return `${head}\n${diffMarkdown(verdict.changes, { maxLength: room })}`;
}

function errorsSection(verdict: Verdict): string {
  const { config, head, catalog } = verdict.diagnostics;
  const errors = [...config, ...head, ...catalog].filter((d) => d.severity === "error");
  if (errors.length === 0) return "";
  return ["### Errors", "", "A manifest or config that cannot be read never passes:", "", ...errors.map(diagnosticLine), ""].join("\n");
}

function diagnosticLine(d: Diagnostic): string {
  return `- ${code(`${d.file}:${d.line}`)} ${inline(d.message)}`;
}

function findingsSection(findings: readonly ReportFinding[]): string {
  if (findings.length === 0) return "### Findings\n\nNo findings.\n";
  const lines = ["### Findings", ""];
  for (const severity of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(`#### ${severity} (${group.length})`, "", "| | Rule | SOC 2 | Resource | Where | Finding |", "|---|---|---|---|---|---|");
    for (const f of group) {
      const resource = f.resource ? `${f.resource.kind} ${f.resource.namespace}/${f.resource.name}` : "mesh config";
      lines.push(`| ${statusCell(f)} | ${f.rule} | ${f.controls.join(", ")} | ${inline(resource)} | ${code(`${f.file}:${f.line}`)} | ${inline(f.message)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function statusCell(f: ReportFinding): string {
  if (f.status === "waived" && f.waiver) return `waived until ${f.waiver.expires} (${inline(f.waiver.ticket)})`;
  const expired = f.waiver?.expired ? `, waiver ${inline(f.waiver.ticket)} expired ${f.waiver.expires}` : "";
  if (f.blocking) return `**blocking** (${f.status}${expired})`;
  return `${f.status}${expired}`;
}

function approvalsSection(verdict: Verdict): string {
  const approvals = verdict.approvals;
  if (!approvals) return "";
  return ["### Approvals", "", ...approvals.requirements.map((r) => `- ${REQUIREMENT_ICON[r.status]} ${r.rule}: ${inline(r.description)}`), ""].join("\n");
}

function truncate(text: string, maxLength: number): string {
  const note = "\n\n… report truncated to fit GitHub's limit; run `meshgate check` locally for all of it.\n";
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - note.length)}${note}`;
}
