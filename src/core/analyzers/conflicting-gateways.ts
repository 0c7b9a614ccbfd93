import { asArray, asStrings, at, hostsOverlap, labelsText, selects, stringMap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * Istio Gateways on the same proxies and a server on the same port whose hosts
 * overlap: the gateway proxy serves only one of them. Each server of each gateway is judged
 * against the other gateways' servers on its port.
 */
/**
 * Two gateways run on the same proxies when their selectors are equal, or some workload of the
 * repository matches both (a selector with more labels picks a subset of another's pods).
 */
function shareProxies(a: { selectorLabels: Record<string, string>; selector: string }, b: { selectorLabels: Record<string, string>; selector: string }, workloads: readonly { labels: Record<string, string> }[]): boolean {
  if (a.selector === b.selector) return true;
  return workloads.some((w) => selects(a.selectorLabels, w.labels) && selects(b.selectorLabels, w.labels));
}

export const conflictingGateways: Analyzer = {
  name: "gateway.ConflictingGatewayAnalyzer",
  codes: ["IST0145"],
  analyze(context) {
    const servers = context.ofKind("Gateway").flatMap((gateway) =>
      asArray(at(gateway.object.spec, "servers")).map((server, i) => ({
        gateway,
        name: `${context.namespaceOf(gateway)}/${gateway.object.metadata.name}`,
        selectorLabels: stringMap(at(gateway.object.spec, "selector")),
        selector: labelsText(stringMap(at(gateway.object.spec, "selector"))),
        port: portText(at(server, "port", "number")),
        hosts: asStrings(at(server, "hosts")),
        index: i,
      })),
    );
    const messages: AnalyzerMessage[] = [];
    for (const server of servers) {
      const others = new Map<string, string[]>();
      for (const other of servers) {
        if (other.name === server.name || other.port !== server.port || !shareProxies(server, other, context.workloads)) continue;
        others.set(other.name, [...(others.get(other.name) ?? []), ...other.hosts]);
      }
      const conflicting: string[] = [];
      for (const [name, hosts] of others) {
        for (const host of server.hosts) if (hosts.some((h) => hostsOverlap(host, h))) conflicting.push(name);
      }
      if (conflicting.length === 0) continue;
      messages.push({
        code: "IST0145",
        resource: server.gateway,
        key: `server:${server.index}`,
        pointer: `/spec/servers/${server.index}`,
        args: { gateway: conflicting.join(","), selector: server.selector, portnumber: server.port, hosts: server.hosts.join(",") },
      });
    }
    return messages;
  },
};

function portText(value: unknown): string {
  return typeof value === "number" ? String(value) : "0";
}
