import type { KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pickObject, pickString } from "./pick.js";

/** No mode (no PeerAuthentication, or UNSET) inherits, and Istio's fallback is PERMISSIVE. */
const INHERITED = "inherited";
const STRENGTH: Record<string, number> = { STRICT: 2, PERMISSIVE: 1, [INHERITED]: 1, DISABLE: 0 };

function topMode(policy: KubeObject | undefined): string {
  const mode = pickString(policy?.spec, "mtls", "mode");
  return mode === undefined || mode === "UNSET" ? INHERITED : mode;
}

function portMode(policy: KubeObject | undefined, port: string): string | undefined {
  const mode = pickString(policy?.spec, "portLevelMtls", port, "mode");
  return mode === undefined || mode === "UNSET" ? undefined : mode;
}

function targetOf(policy: KubeObject): string {
  const { namespace = "", name } = policy.metadata;
  return pickObject(policy.spec, "selector") ? `${namespace}/${name}` : `namespace ${namespace}`;
}

function describe(mode: string, policy: KubeObject): string {
  if (mode !== INHERITED) return mode;
  return pickObject(policy.spec, "selector") ? "inherited (namespace or mesh policy, else PERMISSIVE)" : "inherited (mesh policy, else PERMISSIVE)";
}

function compare(before: string, after: string): Pick<NoteDraft, "severity" | "effect"> & { suffix: string } {
  const delta = (STRENGTH[after] ?? 1) - (STRENGTH[before] ?? 1);
  if (delta < 0) return { severity: "high", effect: "weakens", suffix: after === "DISABLE" ? " (security downgrade: plaintext)" : " (security downgrade)" };
  if (delta > 0) return { severity: "info", effect: "strengthens", suffix: after === "STRICT" ? " (plaintext now rejected)" : "" };
  return { severity: "low", effect: "neutral", suffix: "" };
}

/** PeerAuthentication: the mode servers accept, at top level and per port (a port without its own mode follows the top level). */
export function mtlsNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const policy = after ?? before;
  if (!policy) return [];
  const target = targetOf(policy);
  const side = after ? "head" : "base";
  const notes: NoteDraft[] = [];

  const [baseTop, headTop] = [topMode(before), topMode(after)];
  if (baseTop !== headTop) {
    const { suffix, ...rating } = compare(baseTop, headTop);
    notes.push({ kind: "mtls", ...rating, text: `mTLS for ${target}: ${describe(baseTop, policy)} → ${describe(headTop, policy)}${suffix}`, side, pointer: after ? "/spec/mtls/mode" : "" });
  }

  const ports = new Set([...Object.keys(pickObject(before?.spec, "portLevelMtls") ?? {}), ...Object.keys(pickObject(after?.spec, "portLevelMtls") ?? {})]);
  for (const port of [...ports].sort((a, b) => Number(a) - Number(b))) {
    const basePort = portMode(before, port) ?? baseTop;
    const headPort = portMode(after, port) ?? headTop;
    if (basePort === headPort) continue;
    const { suffix, ...rating } = compare(basePort, headPort);
    const inHead = portMode(after, port) !== undefined;
    notes.push({
      kind: "mtls",
      ...rating,
      text: `mTLS for ${target} port ${port}: ${describe(basePort, policy)} → ${describe(headPort, policy)}${suffix}`,
      side: inHead ? "head" : "base",
      pointer: `/spec/portLevelMtls/${port}`,
    });
  }
  return notes;
}
