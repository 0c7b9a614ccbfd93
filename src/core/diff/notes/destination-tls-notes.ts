import { meshExternalEntry } from "../../rules/mesh-external-entry.js";
import { asArray, at } from "../../rules/mesh-index.js";
import type { JsonValue, KubeObject, Resource } from "../../types.js";
import { matchItems, type ItemPair } from "../match-items.js";
import { meshIndexOf } from "./mesh-index-of.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickObject, pickString } from "./pick.js";

/** No `tls` block: Istio's auto mTLS (ISTIO_MUTUAL to servers with a sidecar, plaintext to others). */
const AUTO = "auto";
const CLIENT_CERTIFICATE = new Set(["ISTIO_MUTUAL", "MUTUAL"]);
/** Modes in which the sidecar itself encrypts toward a server outside the mesh. */
const ORIGINATED = new Set(["SIMPLE", "MUTUAL"]);
/** ServiceEntry port protocols in which the application itself speaks TLS. */
const APPLICATION_TLS = new Set(["TLS", "HTTPS"]);

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

  const entry = meshExternalEntry(meshIndexOf(input.head, input.mesh), host, rule.metadata.namespace ?? "");
  const notes: NoteDraft[] = [];
  for (const l of levels) {
    if (!l.own || l.before === l.after) continue;
    // Toward a host outside the mesh there is no mTLS to lose: only TLS originated by the
    // sidecar (SIMPLE, MUTUAL) could be, and that stays a downgrade.
    if (entry && l.after === "DISABLE" && !ORIGINATED.has(l.before)) {
      notes.push({ kind: "destination-tls", ...externalPlaintext({ entry, host, label: l.label, before: describe(l.before) }), side: l.side, pointer: l.pointer });
      continue;
    }
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

/**
 * DISABLE toward a MESH_EXTERNAL host, said for what it is: on the entry's TLS and HTTPS ports
 * the application speaks TLS itself; on its other ports the egress is declared plaintext. Neither
 * is an mTLS downgrade (auto mTLS sends plaintext to a server without a sidecar all the same).
 */
function externalPlaintext(params: { entry: Resource; host: string; label: string; before: string }): Pick<NoteDraft, "severity" | "effect" | "text"> {
  const { entry, host, label, before } = params;
  const portNumber = /^ port (\d+)$/.exec(label)?.[1];
  const numberOf = (p: JsonValue): string => {
    const number = at(p, "number");
    return typeof number === "number" ? String(number) : "?";
  };
  const ports = asArray(at(entry.object.spec, "ports")).filter((p) => portNumber === undefined || numberOf(p) === portNumber);
  const described = ports.map((p) => {
    const protocol = at(p, "protocol");
    return { port: `${numberOf(p)}/${typeof protocol === "string" ? protocol : "?"}`, tls: typeof protocol === "string" && APPLICATION_TLS.has(protocol.toUpperCase()) };
  });
  const tls = described.filter((d) => d.tls).map((d) => d.port);
  const plain = described.filter((d) => !d.tls).map((d) => d.port);
  const which = [
    ...(tls.length > 0 ? [`the application speaks TLS itself on ${tls.join(", ")}`] : []),
    ...(plain.length > 0 ? [`plaintext egress declared on ${plain.join(", ")}`] : []),
    ...(described.length === 0 ? ["no port of the entry says whether the application speaks TLS"] : []),
  ].join("; ");
  const entryName = `${entry.object.metadata.namespace ?? ""}/${entry.object.metadata.name}`;
  return {
    severity: plain.length > 0 || described.length === 0 ? "low" : "info",
    effect: "neutral",
    text: `TLS to ${host}${label}: ${before} → DISABLE, toward a host outside the mesh (MESH_EXTERNAL ServiceEntry ${entryName}), no mTLS downgrade: ${which}`,
  };
}
