import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { exemptFromPortNaming, portProtocol } from "./port-protocol.js";

/**
 * Service ports whose protocol Istio cannot tell from `appProtocol`, the name's prefix or a
 * well-known port (IST0118: it sniffs), and ExternalName Services whose ports are TCP or
 * unknown (IST0150: the proxy may not forward them). Services of system namespaces and of
 * Istio's control plane are exempt, as in Istio.
 */
export const servicePortNames: Analyzer = {
  name: "service.PortNameAnalyzer",
  codes: ["IST0118", "IST0150"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const service of context.ofKind("Service")) {
      if (exemptFromPortNaming(service)) continue;
      const externalName = at(service.object.spec, "type") === "ExternalName";
      asArray(at(service.object.spec, "ports")).forEach((port, i) => {
        const name = at(port, "name");
        const protocol = portProtocol(port);
        const pointer = `/spec/ports/${i}`;
        if (externalName) {
          if (protocol === undefined || name === "tcp") messages.push({ code: "IST0150", resource: service, key: "externalname", pointer, args: {} });
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
