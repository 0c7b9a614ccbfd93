import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { gatewayWorkloads } from "./gateway-workloads.js";

/**
 * An Istio Gateway must select some proxy (IST0101), and each server's port must be one the
 * Services of those proxies expose, as a port or a target port (IST0162): otherwise nothing
 * reaches the listener through the gateway's Service.
 */
export const gatewayPorts: Analyzer = {
  name: "gateway.IngressGatewayPortAnalyzer",
  codes: ["IST0101", "IST0162"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const gateway of context.ofKind("Gateway")) {
      const found = gatewayWorkloads(context, gateway);
      if (found.namespace === undefined) {
        messages.push({ code: "IST0101", resource: gateway, key: "selector", pointer: "/spec/selector", args: { reftype: "selector", refval: found.selector } });
        continue;
      }
      asArray(at(gateway.object.spec, "servers")).forEach((server, i) => {
        const number = at(server, "port", "number");
        if (typeof number !== "number" || found.ports.has(number)) return;
        messages.push({ code: "IST0162", resource: gateway, key: `port:${number}`, pointer: `/spec/servers/${i}/port`, args: { port: String(number), selector: found.selector } });
      });
    }
    return messages;
  },
};
