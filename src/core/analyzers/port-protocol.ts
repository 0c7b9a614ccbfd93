import type { JsonValue, Resource } from "../types.js";
import { at } from "./analyzer.js";

/** Protocols Istio parses from a port name's prefix or an `appProtocol` (its protocol.Parse), lower case. */
const PROTOCOLS = new Set(["tcp", "udp", "grpc", "grpc-web", "http", "http_proxy", "http2", "https", "tls", "mongo", "redis", "mysql", "hbone"]);
/** Kubernetes' standard `appProtocol` names, which Istio maps to HTTP/2, HTTP and HTTPS. */
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, string>> = { "kubernetes.io/h2c": "http2", "kubernetes.io/ws": "http", "kubernetes.io/wss": "https" };
/** Ports Istio never sniffs: SMTP, DNS, MySQL and MongoDB are TCP when nothing names their protocol. */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);
/** Namespaces whose Services Istio's port name analyzer leaves alone (its IsSystemNamespace). */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

/**
 * The protocol Istio gives a Service port (its ConvertProtocol), or undefined when it has none
 * and must sniff: UDP by the transport; else `appProtocol` when set (it takes precedence over
 * the name), else the name, by its `grpc-web` prefix or its part before the first `-`; else
 * TCP for the well-known ports.
 */
export function portProtocol(port: JsonValue | undefined): string | undefined {
  if (at(port, "protocol") === "UDP") return "udp";
  const appProtocol = at(port, "appProtocol");
  const name = at(port, "name");
  let declared = typeof appProtocol === "string" ? appProtocol : typeof name === "string" ? name : "";
  const standard = KUBERNETES_APP_PROTOCOLS[declared];
  if (typeof appProtocol === "string" && standard !== undefined) return standard;
  declared = declared.toLowerCase();
  let protocol: string | undefined;
  if (declared.startsWith("grpc-web")) protocol = "grpc-web";
  else {
    const prefix = declared.split("-")[0] ?? "";
    protocol = PROTOCOLS.has(prefix) ? prefix : undefined;
  }
  const number = at(port, "port");
  if (protocol === undefined && typeof number === "number" && WELL_KNOWN_TCP_PORTS.has(number)) return "tcp";
  return protocol;
}

/**
 * Whether Istio exempts a Service from port naming: it is in a system namespace, or it is part
 * of Istio's control plane (labelled `istio`, or `release: istio`, as the istiod, gateway and
 * waypoint Services Istio installs are).
 */
export function exemptFromPortNaming(service: Resource): boolean {
  if (SYSTEM_NAMESPACES.has(service.object.metadata.namespace ?? "")) return true;
  const labels = service.object.metadata.labels ?? {};
  return labels.istio !== undefined || labels.release === "istio";
}
