import type { Severity } from "../core/config/config.js";
import type { Verdict } from "../core/evaluate.js";
import type { Rule } from "../core/rules/rule.js";

type Level = "error" | "warning" | "note";

const LEVEL: Record<Severity, Level> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub code scanning ranks security results by this property (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/**
 * SARIF 2.1.0 for code scanning: the catalog as rule metadata, each finding with its physical
 * location and a stable fingerprint; pre-existing findings are `unchanged` against the baseline,
 * waived ones are suppressed with the waiver's justification.
 */
export function sarif(verdict: Verdict, params: { rules: readonly Rule[]; version: string }): object {
  const ruleIndex = new Map(params.rules.map((r, i) => [r.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "meshgate",
            version: params.version,
            rules: params.rules.map((r) => ({
              id: r.id,
              name: r.title,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: r.remediation },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ["security", ...r.controls], "security-severity": SECURITY_SEVERITY[r.severity], precision: "high" },
            })),
          },
        },
        results: verdict.findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.line } } }],
          partialFingerprints: { "meshgate/v1": f.fingerprint },
          baselineState: f.status === "preexisting" ? "unchanged" : "new",
          ...(f.status === "waived" && f.waiver
            ? { suppressions: [{ kind: "external", status: "accepted", justification: `${f.waiver.justification} (${f.waiver.ticket}, until ${f.waiver.expires})` }] }
            : {}),
          properties: { severity: f.severity, status: f.status, blocking: f.blocking },
        })),
      },
    ],
  };
}
