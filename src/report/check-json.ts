import type { Verdict } from "../core/evaluate.js";
import type { ApprovalRequirement } from "../core/owners/approvals.js";
import type { Diagnostic } from "../core/types.js";
import { diffJson, type DiffJson } from "./diff-json.js";

/** The documented shape of `meshgate check --format json` (DESIGN §8, README). */
export interface CheckJson {
  conclusion: Verdict["conclusion"];
  title: string;
  findings: {
    rule: string;
    severity: string;
    status: string;
    blocking: boolean;
    message: string;
    kind: string | null;
    namespace: string | null;
    name: string | null;
    file: string;
    line: number;
    controls: string[];
    /** The repository TraitDefinition or ComponentDefinition that rendered the field at fault (absent: none). */
    definition?: { name: string; file: string; line: number };
    waiver: { ticket: string; expires: string; justification: string; expired: boolean } | null;
  }[];
  changes: DiffJson["changes"];
  /** Empty when no reviews were given (`--reviews`): the approval rules were left out. */
  approvals: { rule: string; status: ApprovalRequirement["status"]; subject: string; description: string; needs: readonly string[]; approvedBy: string[]; stale: string[] }[];
  diagnostics: (Diagnostic & { side: "config" | "head" | "base" | "catalog" })[];
}

export function checkJson(verdict: Verdict): CheckJson {
  const { config, head, base, catalog } = verdict.diagnostics;
  return {
    conclusion: verdict.conclusion,
    title: verdict.title,
    findings: verdict.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      status: f.status,
      blocking: f.blocking,
      message: f.message,
      kind: f.resource?.kind ?? null,
      namespace: f.resource?.namespace ?? null,
      name: f.resource?.name ?? null,
      file: f.file,
      line: f.line,
      controls: f.controls,
      ...(f.definition ? { definition: f.definition } : {}),
      waiver: f.waiver ? { ticket: f.waiver.ticket, expires: f.waiver.expires, justification: f.waiver.justification, expired: f.waiver.expired } : null,
    })),
    changes: diffJson(verdict.changes).changes,
    approvals: (verdict.approvals?.requirements ?? []).map((r) => ({
      rule: r.rule,
      status: r.status,
      subject: r.subject,
      description: r.description,
      needs: r.needs,
      approvedBy: r.approvedBy.map((a) => a.login),
      stale: r.stale.map((s) => s.login),
    })),
    diagnostics: [
      ...config.map((d) => ({ ...d, side: "config" as const })),
      ...head.map((d) => ({ ...d, side: "head" as const })),
      ...base.map((d) => ({ ...d, side: "base" as const })),
      ...catalog.map((d) => ({ ...d, side: "catalog" as const })),
    ],
  };
}
