import type { Severity, Waiver } from "../config/config.js";
import type { RuleFinding } from "./run-rules.js";

export type FindingStatus = "new" | "preexisting" | "waived";

export interface Finding extends RuleFinding {
  status: FindingStatus;
  /** The waiver that applies (status waived), or the one that expired (status new or preexisting). */
  waiver?: Waiver & { expired: boolean };
}

/**
 * Marks each head finding: `waived` when a base-branch waiver for its rule and resource has not
 * expired, else `preexisting` when the base render had the same fingerprint, else `new`.
 * A waiver is valid through its `expires` day. `today` is `YYYY-MM-DD`: the clock is an input.
 */
export function classifyFindings(params: { head: readonly RuleFinding[]; base: readonly RuleFinding[]; waivers: readonly Waiver[]; today: string }): Finding[] {
  const { head, base, waivers, today } = params;
  const before = new Set(base.map((f) => f.fingerprint));
  return head.map((finding): Finding => {
    const status: FindingStatus = before.has(finding.fingerprint) ? "preexisting" : "new";
    const matching = waivers.filter((w) => waiverCovers(w, finding));
    const valid = matching.find((w) => w.expires >= today);
    if (valid) return { ...finding, status: "waived", waiver: { ...valid, expired: false } };
    const expired = matching[0];
    return { ...finding, status, ...(expired ? { waiver: { ...expired, expired: true } } : {}) };
  });
}

function waiverCovers(waiver: Waiver, finding: RuleFinding): boolean {
  const resource = finding.resource;
  if (waiver.rule !== finding.rule || !resource) return false;
  return waiver.resource.kind === resource.kind && waiver.resource.name === resource.name && (waiver.resource.namespace === undefined || waiver.resource.namespace === resource.namespace);
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Whether a finding blocks the merge under the config's `failOn` and `blockPreexisting`. */
export function isBlocking(finding: Finding, rules: { failOn: Severity; blockPreexisting: boolean }): boolean {
  if (finding.status === "waived") return false;
  if (finding.status === "preexisting" && !rules.blockPreexisting) return false;
  return RANK[finding.severity] >= RANK[rules.failOn];
}

export function severityRank(severity: Severity): number {
  return RANK[severity];
}
