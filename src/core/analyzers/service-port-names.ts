import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** Protocols Istio selects from a port name (`http`, `http-web`) or `appProtocol`; `hbone` is ambient's tunnel. */
const PROTOCOLS = new Set(["http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp", "hbone"]);
/** Namespaces whose Services Istio's analyzer leaves alone. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

/**
 * Service ports whose protocol Istio cannot tell from `appProtocol` or the name's prefix
 * (IST0118: it sniffs, or treats them as TCP), and ExternalName Services whose ports are TCP
 * or unknown (IST0150: the proxy may not forward them). Istio's own Services in the control
 * plane's namespace (labelled `istio` or `release: istio`) and system namespaces are exempt.
 */
export const servicePortNames: Analyzer = {
  name: "service.PortNameAnalyzer",
  codes: ["IST0118", "IST0150"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const service of context.ofKind("Service")) {
      const namespace = context.namespaceOf(service);
      if (SYSTEM_NAMESPACES.has(namespace)) continue;
      const labels = service.object.metadata.labels ?? {};
      if (namespace === context.mesh.rootNamespace && (labels.istio !== undefined || labels.release === "istio")) continue;
      const externalName = at(service.object.spec, "type") === "ExternalName";
      asArray(at(service.object.spec, "ports")).forEach((port, i) => {
        const name = at(port, "name");
        const appProtocol = at(port, "appProtocol");
        const protocol = protocolOf(typeof appProtocol === "string" ? appProtocol : undefined, typeof name === "string" ? name : "");
        const pointer = `/spec/ports/${i}`;
        if (externalName) {
          if (protocol === undefined || protocol === "tcp") messages.push({ code: "IST0150", resource: service, key: "externalname", pointer, args: {} });
          return;
        }
        if (protocol !== undefined) return;
        const number = at(port, "port");
        const target = at(port, "targetPort");
        messages.push({
          code: "IST0118",
          resource: service,
          key: `port:${i}`,
          pointer,
          args: { portName: typeof name === "string" ? name : "", port: typeof number === "number" ? String(number) : "", targetPort: typeof target === "number" || typeof target === "string" ? String(target) : "" },
        });
      });
    }
    return messages;
  },
};

function protocolOf(appProtocol: string | undefined, name: string): string | undefined {
  if (appProtocol !== undefined && PROTOCOLS.has(appProtocol.toLowerCase())) return appProtocol.toLowerCase();
  const lower = name.toLowerCase();
  if (PROTOCOLS.has(lower)) return lower;
  const prefix = lower.split("-")[0] ?? "";
  return PROTOCOLS.has(prefix) ? prefix : undefined;
}
