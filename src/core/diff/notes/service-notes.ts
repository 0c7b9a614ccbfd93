import type { JsonValue, KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickString } from "./pick.js";

/** Port name prefixes (and appProtocols) from which Istio takes a port's protocol without sniffing. */
const DECLARED = new Set(["http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp"]);

function sniffed(port: JsonValue): boolean {
  const transport = pickString(port, "protocol");
  if (transport !== undefined && transport !== "TCP") return false;
  const appProtocol = pickString(port, "appProtocol");
  if (appProtocol !== undefined && appProtocol !== "") return !DECLARED.has(appProtocol.toLowerCase()) && !appProtocol.startsWith("kubernetes.io/");
  const name = pickString(port, "name") ?? "";
  return !DECLARED.has(name.toLowerCase()) && !DECLARED.has((name.split("-")[0] ?? "").toLowerCase());
}

function sniffedPorts(service: KubeObject | undefined): string[] {
  return pickList(service?.spec, "ports").filter(sniffed).map((p) => `${JSON.stringify(pick(p, "port") ?? "?")}${pickString(p, "name") !== undefined ? ` (${pickString(p, "name") ?? ""})` : ""}`);
}

const OUTSIDE: Readonly<Record<string, string>> = {
  LoadBalancer: "a cloud load balancer reaches it from outside the cluster, around the ingress gateway",
  NodePort: "every node's port reaches it from outside the cluster, around the ingress gateway",
};

/** Service: exposure around the ingress gateway, and ports whose protocol Istio must sniff. */
export function serviceNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const service = after ?? before;
  if (!service) return [];
  const name = `${service.metadata.namespace ?? ""}/${service.metadata.name}`;
  const notes: NoteDraft[] = [];
  const [was, is] = [pickString(before?.spec, "type") ?? "ClusterIP", pickString(after?.spec, "type") ?? "ClusterIP"];
  const outside = OUTSIDE[is];
  if (after && outside !== undefined && (was !== is || !before)) {
    notes.push({ kind: "service-exposure", severity: "high", effect: "weakens", text: `Service ${name} is now type ${is}${before ? ` (was ${was})` : ""}: ${outside}, and mesh ingress policies do not apply to that path`, side: "head", pointer: "/spec/type" });
  } else if (before && OUTSIDE[was] !== undefined && OUTSIDE[is] === undefined) {
    notes.push({ kind: "service-exposure", severity: "low", effect: "strengthens", text: `Service ${name} is no longer type ${was}${after ? ` (now ${is})` : ""}: not reachable from outside the cluster around the gateway`, side: after ? "head" : "base", pointer: after ? "/spec/type" : "" });
  }
  const [baseSniffed, headSniffed] = [sniffedPorts(before), sniffedPorts(after)];
  const added = headSniffed.filter((p) => !baseSniffed.includes(p));
  if (added.length > 0) {
    notes.push({ kind: "protocol-sniffing", severity: "low", effect: "neutral", text: `Service ${name} port${added.length === 1 ? "" : "s"} ${added.join(", ")} declare${added.length === 1 ? "s" : ""} no protocol: Istio sniffs it, so HTTP routes, retries and policies act on a guess`, side: "head", pointer: "/spec/ports" });
  }
  return notes;
}
