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
    const index = indexServers(servers);
    for (const server of servers) {
      const others = new Map<string, string[]>();
      for (const other of index.candidates(server)) {
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

/**
 * The servers that can conflict with a server, in their order: only a server on its port can,
 * and (for a server without a wildcard host) only through an equal host or a wildcard one. A
 * name none of whose servers can overlap adds no conflict, so leaving it out changes nothing;
 * for a name that can, every server of that name on the port is kept, as the full scan had it.
 */
function indexServers<T extends { name: string; port: string; hosts: string[] }>(servers: readonly T[]): { candidates(server: T): T[] } {
  const byPort = new Map<string, { all: number[]; byHost: Map<string, number[]>; wildcard: number[]; byName: Map<string, number[]> }>();
  for (const [i, server] of servers.entries()) {
    let port = byPort.get(server.port);
    if (!port) {
      port = { all: [], byHost: new Map(), wildcard: [], byName: new Map() };
      byPort.set(server.port, port);
    }
    port.all.push(i);
    push(port.byName, server.name, i);
    for (const host of new Set(server.hosts)) {
      if (host.startsWith("*")) {
        if (port.wildcard[port.wildcard.length - 1] !== i) port.wildcard.push(i);
      } else push(port.byHost, host, i);
    }
  }
  return {
    candidates(server) {
      const port = byPort.get(server.port);
      if (!port) return [];
      if (server.hosts.some((host) => host.startsWith("*"))) return port.all.map((i) => servers[i] as T);
      const names = new Set<string>();
      for (const i of port.wildcard) names.add((servers[i] as T).name);
      for (const host of server.hosts) for (const i of port.byHost.get(host) ?? []) names.add((servers[i] as T).name);
      const picked = [...names].flatMap((name) => port.byName.get(name) ?? []);
      return picked.sort((a, b) => a - b).map((i) => servers[i] as T);
    },
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
