import type { KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickString, pickStrings } from "./pick.js";

/** ServiceEntry hosts outside the mesh: `location` defaults to MESH_EXTERNAL. */
function externalHosts(entry: KubeObject | undefined): string[] {
  if (!entry || (pickString(entry.spec, "location") ?? "MESH_EXTERNAL") !== "MESH_EXTERNAL") return [];
  return pickStrings(entry.spec, "hosts");
}

function describePorts(entry: KubeObject): string {
  const ports = pickList(entry.spec, "ports").map((p) => {
    const number = pick(p, "number");
    return `${typeof number === "number" ? number : "?"}/${pickString(p, "protocol") ?? "?"}`;
  });
  return ports.length > 0 ? ` (ports ${ports.join(", ")})` : "";
}

/** ServiceEntry: external hosts the mesh may now call, or no longer. */
export function egressNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const [baseHosts, headHosts] = [externalHosts(before), externalHosts(after)];
  const notes: NoteDraft[] = [];
  for (const host of headHosts.filter((h) => !baseHosts.includes(h))) {
    notes.push({ kind: "egress", severity: "medium", effect: "weakens", text: `new egress host ${host}${after ? describePorts(after) : ""}`, side: "head", pointer: "/spec/hosts" });
  }
  for (const host of baseHosts.filter((h) => !headHosts.includes(h))) {
    notes.push({ kind: "egress", severity: "low", effect: "strengthens", text: `egress host ${host} removed`, side: after ? "head" : "base", pointer: after ? "/spec/hosts" : "" });
  }
  return notes;
}

/** Sidecar: the hosts its workloads' proxies know, and what happens to unknown destinations. */
export function sidecarEgressNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const hostsOf = (sidecar: KubeObject | undefined): string[] => [...new Set(pickList(sidecar?.spec, "egress").flatMap((e) => pickStrings(e, "hosts")))];
  const [baseHosts, headHosts] = [hostsOf(before), hostsOf(after)];
  const sidecar = after ?? before;
  if (!sidecar) return [];
  const name = `${sidecar.metadata.namespace ?? ""}/${sidecar.metadata.name}`;
  const notes: NoteDraft[] = [];
  // No Sidecar (or no egress listener) means every host in the mesh is reachable: only compare when both sides scope egress.
  if (baseHosts.length > 0 && headHosts.length > 0) {
    for (const host of headHosts.filter((h) => !baseHosts.includes(h))) {
      notes.push({ kind: "egress", severity: "medium", effect: "weakens", text: `workloads of sidecar ${name} may now reach ${host}`, side: "head", pointer: "/spec/egress" });
    }
    for (const host of baseHosts.filter((h) => !headHosts.includes(h))) {
      notes.push({ kind: "egress", severity: "low", effect: "strengthens", text: `workloads of sidecar ${name} may no longer reach ${host}`, side: "head", pointer: "/spec/egress" });
    }
  }
  const mode = (s: KubeObject | undefined): string => pickString(s?.spec, "outboundTrafficPolicy", "mode") ?? "ALLOW_ANY (default)";
  const [baseMode, headMode] = [mode(before), mode(after)];
  if (baseMode !== headMode) {
    const opened = headMode.startsWith("ALLOW_ANY");
    notes.push({
      kind: "egress",
      severity: opened ? "medium" : "low",
      effect: opened ? "weakens" : "strengthens",
      text: `outbound traffic of sidecar ${name}: ${baseMode} → ${headMode}${opened ? ": hosts outside the registry are reachable" : ""}`,
      side: after ? "head" : "base",
      pointer: after ? "/spec/outboundTrafficPolicy" : "",
    });
  }
  return notes;
}
