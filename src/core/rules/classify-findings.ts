import { scopeCovers, scopeText } from "../authorization/policy-scope.js";
import type { Severity, Waiver } from "../config/config.js";
import type { RuleFinding } from "./run-rules.js";

export type FindingStatus = "new" | "preexisting" | "waived";

export interface Finding extends RuleFinding {
  status: FindingStatus;
  /**
   * The waiver that applies (status waived), or the one that expired, or the one that no
   * longer covers the finding because its scope or value got worse (`lapsed` says how).
   */
  waiver?: Waiver & { expired: boolean; lapsed?: string };
  /** How the finding got worse than the base's finding of the same key (then it is new). */
  worsened?: string;
}

/**
 * Marks each head finding. A base finding of the same rule, resource and key that covered at
 * least the head finding's scope, with a value no better, makes it `preexisting`; a widened
 * scope or a worse value makes it `new`. A base-branch waiver that names its rule, resource
 * (and key, and value, where it names them) and has not expired makes it `waived`, unless the
 * finding it waived on the base got worse: then it is `new` and says the waiver no longer
 * covers it. A waiver is valid through its `expires` day. `today` is `YYYY-MM-DD`.
 */
export function classifyFindings(params: { head: readonly RuleFinding[]; base: readonly RuleFinding[]; waivers: readonly Waiver[]; today: string }): Finding[] {
  const { head, base, waivers, today } = params;
  return head.map((finding): Finding => {
    const sameKey = base.filter((b) => sameKeyOf(b, finding));
    const worse = sameKey.map((b) => worseThan(b, finding));
    const status: FindingStatus = sameKey.length > 0 && worse.some((w) => w === undefined) ? "preexisting" : "new";
    const worsened = status === "new" ? worse.find((w) => w !== undefined) : undefined;
    const matching = waivers.filter((w) => waiverCovers(w, finding));
    const valid = matching.find((w) => w.expires >= today);
    if (valid) {
      const covered = base.filter((b) => waiverCovers(valid, b));
      const waived = covered.filter((b) => sameKeyOf(b, finding));
      // A waiver without a key covers the keys it was waived for: a key the base did not have
      // (a host widened into another entry, a port added) is a finding the waiver never saw.
      const otherKey = covered.length > 0 && waived.length === 0 ? `${finding.key} is not what it waived (${[...new Set(covered.map((b) => b.key))].join(", ")})` : undefined;
      const lapsed = otherKey ?? (waived.length > 0 && waived.every((b) => worseThan(b, finding) !== undefined) ? worseThan(waived[0] as RuleFinding, finding) : undefined);
      if (!lapsed) return { ...finding, status: "waived", waiver: { ...valid, expired: false } };
      return {
        ...finding,
        message: `${finding.message} (waiver ${valid.ticket} no longer covers it: ${lapsed})`,
        status: "new",
        worsened: lapsed,
        waiver: { ...valid, expired: false, lapsed },
      };
    }
    const expired = matching[0];
    return { ...finding, status, ...(worsened ? { worsened } : {}), ...(expired ? { waiver: { ...expired, expired: true } } : {}) };
  });
}

function sameKeyOf(a: RuleFinding, b: RuleFinding): boolean {
  return a.rule === b.rule && (a.resource?.identity ?? "") === (b.resource?.identity ?? "") && a.key === b.key;
}

/** How `head` is worse than `base` (a wider scope, a worse or other value), or undefined when it is not. */
function worseThan(base: RuleFinding, head: RuleFinding): string | undefined {
  if (head.scope && (!base.scope || !scopeCovers(base.scope, head.scope))) return `scope widened from ${base.scope ? scopeText(base.scope) : "its own"} to ${scopeText(head.scope)}`;
  const [b, h] = [base.value, head.value];
  if (!h) return undefined;
  if (!b) return `value now ${h.text}`;
  if (b.rank !== undefined && h.rank !== undefined) return h.rank > b.rank ? `value worse: ${b.text} became ${h.text}` : undefined;
  return b.text === h.text ? undefined : `value changed: ${b.text} became ${h.text}`;
}

function waiverCovers(waiver: Waiver, finding: RuleFinding): boolean {
  const resource = finding.resource;
  if (waiver.rule !== finding.rule || !resource) return false;
  if (waiver.key !== undefined && waiver.key !== finding.key) return false;
  if (waiver.value !== undefined && waiver.value !== finding.value?.text) return false;
  return waiver.resource.kind === resource.kind && waiver.resource.name === resource.name && waiver.resource.namespace === resource.namespace;
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
