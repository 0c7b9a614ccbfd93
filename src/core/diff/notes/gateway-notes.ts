import type { KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickObject, pickString, pickStrings } from "./pick.js";

/** Gateway server hosts are `namespace/host`: the host part is what clients reach. */
function hostPart(host: string): string {
  const slash = host.indexOf("/");
  return slash >= 0 ? host.slice(slash + 1) : host;
}

/** Each host a Gateway serves, with the index of the first server that lists it. */
function gatewayHosts(gateway: KubeObject | undefined): Map<string, number> {
  const hosts = new Map<string, number>();
  pickList(gateway?.spec, "servers").forEach((server, i) => {
    for (const host of pickStrings(server, "hosts")) if (!hosts.has(hostPart(host))) hosts.set(hostPart(host), i);
  });
  return hosts;
}

function describePorts(gateway: KubeObject): string {
  const ports = pickList(gateway.spec, "servers").map((s) => {
    const number = pick(s, "port", "number");
    return `${typeof number === "number" ? number : "?"}/${pickString(s, "port", "protocol") ?? "?"}`;
  });
  return ports.length > 0 ? ` (ports ${[...new Set(ports)].join(", ")})` : "";
}

function describeSelector(gateway: KubeObject): string {
  const selector = pickObject(gateway.spec, "selector") ?? {};
  const labels = Object.entries(selector).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return labels.length > 0 ? ` on gateway workloads ${labels.join(",")}` : "";
}

/** Gateway: the hosts exposed at the edge, and gateways appearing or going. */
export function gatewayNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const gateway = after ?? before;
  if (!gateway) return [];
  const name = `${gateway.metadata.namespace ?? ""}/${gateway.metadata.name}`;
  const notes: NoteDraft[] = [];
  if (!before && after) {
    notes.push({ kind: "gateway", severity: "medium", effect: "weakens", text: `new gateway ${name}${describeSelector(after)}${describePorts(after)}`, side: "head", pointer: "" });
  } else if (before && !after) {
    notes.push({ kind: "gateway", severity: "low", effect: "strengthens", text: `gateway ${name} removed: the hosts it served are no longer reachable through it`, side: "base", pointer: "" });
  }
  const [baseHosts, headHosts] = [gatewayHosts(before), gatewayHosts(after)];
  for (const [host, server] of headHosts) {
    if (baseHosts.has(host)) continue;
    notes.push({ kind: "public-host", severity: "high", effect: "weakens", text: `new public host ${host} on gateway ${name}`, side: "head", pointer: `/spec/servers/${server}/hosts` });
  }
  for (const [host, server] of baseHosts) {
    if (headHosts.has(host)) continue;
    notes.push({ kind: "public-host", severity: "low", effect: "strengthens", text: `public host ${host} removed from gateway ${name}`, side: "base", pointer: `/spec/servers/${server}/hosts` });
  }
  return notes;
}

/** The gateways a VirtualService binds to, as `namespace/name`; `mesh` (sidecars) is not an edge. */
function boundGateways(service: KubeObject | undefined): string[] {
  if (!service) return [];
  const namespace = service.metadata.namespace ?? "";
  return pickStrings(service.spec, "gateways")
    .filter((g) => g !== "mesh")
    .map((g) => (g.includes("/") ? g : `${namespace}/${g}`));
}

/** VirtualService: which hosts are routed from which gateways (the edge), added or removed. */
export function gatewayBindingNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const service = after ?? before;
  if (!service) return [];
  const name = `${service.metadata.namespace ?? ""}/${service.metadata.name}`;
  const [baseGateways, headGateways] = [boundGateways(before), boundGateways(after)];
  const [baseHosts, headHosts] = [pickStrings(before?.spec, "hosts"), pickStrings(after?.spec, "hosts")];
  const notes: NoteDraft[] = [];
  for (const gateway of headGateways) {
    if (!baseGateways.includes(gateway)) {
      notes.push({ kind: "gateway", severity: "high", effect: "weakens", text: `routes of ${name} now bound to gateway ${gateway}: hosts ${headHosts.join(", ")} reachable through it`, side: "head", pointer: "/spec/gateways" });
      continue;
    }
    for (const host of headHosts.filter((h) => !baseHosts.includes(h))) {
      notes.push({ kind: "public-host", severity: "high", effect: "weakens", text: `new public host ${host} through gateway ${gateway}`, side: "head", pointer: "/spec/hosts" });
    }
    for (const host of baseHosts.filter((h) => !headHosts.includes(h))) {
      notes.push({ kind: "public-host", severity: "low", effect: "strengthens", text: `public host ${host} no longer routed from gateway ${gateway}`, side: "head", pointer: "/spec/hosts" });
    }
  }
  for (const gateway of baseGateways.filter((g) => !headGateways.includes(g))) {
    notes.push({ kind: "gateway", severity: "low", effect: "strengthens", text: `routes of ${name} no longer bound to gateway ${gateway} (hosts ${baseHosts.join(", ")})`, side: after ? "head" : "base", pointer: after ? "/spec/gateways" : "" });
  }
  return notes;
}
