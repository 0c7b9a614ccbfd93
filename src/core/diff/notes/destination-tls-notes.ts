import type { JsonValue, KubeObject } from "../../types.js";
import { matchItems, type ItemPair } from "../match-items.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickObject, pickString } from "./pick.js";

/** No `tls` block: Istio's auto mTLS (ISTIO_MUTUAL to servers with a sidecar, plaintext to others). */
const AUTO = "auto";
const CLIENT_CERTIFICATE = new Set(["ISTIO_MUTUAL", "MUTUAL"]);

/**
 * Negative when the change weakens what clients send: to DISABLE (plaintext), or from a mode
 * with a client certificate to SIMPLE. Auto mTLS against an explicit mode has no clear
 * direction: for a host outside the mesh, SIMPLE is TLS origination, an improvement.
 */
function direction(before: string, after: string): number {
  if (after === "DISABLE") return before === "DISABLE" ? 0 : -1;
  if (before === "DISABLE") return 1;
  if (after === "SIMPLE" && CLIENT_CERTIFICATE.has(before)) return -1;
  if (before === "SIMPLE" && CLIENT_CERTIFICATE.has(after)) return 1;
  return 0;
}

function describe(mode: string): string {
  return mode === AUTO ? "auto mTLS (no tls block)" : mode;
}

function tlsMode(policy: JsonValue | undefined): string | undefined {
  return pickString(policy, "tls", "mode");
}

interface Level {
  label: string;
  before: string;
  after: string;
  /** Whether either side sets this level itself (a level that only follows the top one is not noted twice). */
  own: boolean;
  pointer: string;
  side: "base" | "head";
}

/**
 * DestinationRule: the TLS that clients use towards a host, at top level, per port and per
 * subset. Port and subset levels without their own `tls` follow the top level.
 */
export function destinationTlsNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const rule = after ?? before;
  if (!rule) return [];
  const host = pickString(rule.spec, "host") ?? rule.metadata.name;
  const top = (object: KubeObject | undefined): string => tlsMode(pickObject(object?.spec, "trafficPolicy")) ?? AUTO;
  const [baseTop, headTop] = [top(before), top(after)];
  const levels: Level[] = [{ label: "", before: baseTop, after: headTop, own: true, pointer: after ? "/spec/trafficPolicy" : "", side: after ? "head" : "base" }];

  const ports = matchItems(pickList(before?.spec, "trafficPolicy", "portLevelSettings"), pickList(after?.spec, "trafficPolicy", "portLevelSettings"));
  for (const pair of ports.pairs) {
    const port = pick(pair.after ?? pair.before, "port", "number");
    levels.push(level({ label: ` port ${typeof port === "number" ? port : "?"}`, pair, baseTop, headTop, pointerAt: (i) => `/spec/trafficPolicy/portLevelSettings/${i}` }));
  }
  const subsets = matchItems(pickList(before?.spec, "subsets"), pickList(after?.spec, "subsets"));
  for (const pair of subsets.pairs) {
    const name = pickString(pair.after ?? pair.before, "name") ?? pair.segment;
    levels.push(level({ label: ` subset ${name}`, pair, baseTop, headTop, pointerAt: (i) => `/spec/subsets/${i}`, policyKey: "trafficPolicy" }));
  }

  const notes: NoteDraft[] = [];
  for (const l of levels) {
    if (!l.own || l.before === l.after) continue;
    const delta = direction(l.before, l.after);
    const suffix = delta >= 0 ? "" : l.after === "DISABLE" ? " (security downgrade: plaintext)" : " (security downgrade: no client certificate)";
    notes.push({
      kind: "destination-tls",
      severity: delta < 0 ? "high" : delta > 0 ? "info" : "low",
      effect: delta < 0 ? "weakens" : delta > 0 ? "strengthens" : "neutral",
      text: `TLS to ${host}${l.label}: ${describe(l.before)} → ${describe(l.after)}${suffix}`,
      side: l.side,
      pointer: l.pointer,
    });
  }
  return notes;
}

/** A port or subset level: its own mode on either side, else the top level's. */
function level(params: {
  label: string;
  pair: ItemPair;
  baseTop: string;
  headTop: string;
  pointerAt: (index: number) => string;
  /** Where the item keeps its traffic policy: subsets nest it, port settings are one. */
  policyKey?: string;
}): Level {
  const { label, pair, baseTop, headTop, pointerAt, policyKey } = params;
  const policyOf = (item: JsonValue | undefined): JsonValue | undefined => (policyKey ? pickObject(item, policyKey) : item);
  const baseOwn = pair.before === undefined ? undefined : tlsMode(policyOf(pair.before));
  const headOwn = pair.after === undefined ? undefined : tlsMode(policyOf(pair.after));
  const inHead = pair.afterIndex !== undefined && headOwn !== undefined;
  return {
    label,
    before: baseOwn ?? baseTop,
    after: headOwn ?? headTop,
    own: baseOwn !== undefined || headOwn !== undefined,
    pointer: inHead ? pointerAt(pair.afterIndex ?? 0) : pointerAt(pair.beforeIndex ?? pair.afterIndex ?? 0),
    side: inHead || pair.beforeIndex === undefined ? "head" : "base",
  };
}
