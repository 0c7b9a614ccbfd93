import { asStrings, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { registryHosts, resolveHost, routeDestinations, viewsOf, type RegistryHost } from "./service-registry.js";
import type { AnalysisContext } from "./analyzer.js";
import type { Resource } from "../types.js";

/**
 * Every route destination of a VirtualService must be a host the mesh knows (a Service or a
 * ServiceEntry host, visible wherever the VirtualService is exported), on a port that host
 * exposes; a host with several ports needs the port named. A subset-less ingress route to a
 * host whose mesh VirtualService splits by subset bypasses that split (IST0140).
 *
 * A repository holds part of a cluster: a host is judged missing only where the repository
 * describes what it would be, i.e. a cluster host of a namespace whose Services it declares,
 * or another host where it declares ServiceEntries (a host matching one it cannot see, for
 * exportTo, is always a finding).
 */
export const virtualServiceDestinationHosts: Analyzer = {
  name: "virtualservice.DestinationHostAnalyzer",
  codes: ["IST0101", "IST0112", "IST0140"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const hosts = registryHosts(context);
    const virtualServices = context.ofKind("VirtualService");
    // The mesh VirtualServices that split by subset, by fully qualified host (IST0140), once.
    const splittersByHost = new Map<string, Resource[]>();
    for (const other of virtualServices) {
      const otherGateways = asStrings(at(other.object.spec, "gateways"));
      if (otherGateways.length > 0 && !otherGateways.includes("mesh")) continue;
      if (!routeDestinations(other).some((od) => od.subset !== undefined)) continue;
      const otherNamespace = context.namespaceOf(other);
      for (const h of new Set(asStrings(at(other.object.spec, "hosts")).map((h) => context.fqdn(h, otherNamespace)))) splittersByHost.set(h, [...(splittersByHost.get(h) ?? []), other]);
    }
    for (const vs of virtualServices) {
      const namespace = context.namespaceOf(vs);
      for (const d of routeDestinations(vs)) {
        const fqdn = context.fqdn(d.host, namespace);
        const found = d.host === "" ? undefined : resolveHost({ hosts, host: fqdn, from: viewsOf(vs) });
        if (d.host === "") {
          messages.push({ code: "IST0101", resource: vs, key: `host:${d.pointer}`, pointer: d.pointer.replace(/\/destination$/, ""), args: { reftype: "host", refval: "" } });
          continue;
        }
        if (!found) {
          if (!describedHere(context, hosts, fqdn)) continue;
          messages.push({ code: "IST0101", resource: vs, key: `host:${d.pointer}`, pointer: d.pointer, args: { reftype: "host", refval: d.host } });
          continue;
        }
        if (d.port === undefined) {
          // Routing a host to itself needs no port: Istio sends each request to the port it came in on,
          // which the host exposes. Only a route to another multi-port host is ambiguous.
          const ownHost = asStrings(at(vs.object.spec, "hosts")).some((h) => context.fqdn(h, namespace) === found.host);
          if (found.ports.length > 1 && !d.mirror && !ownHost) {
            messages.push({ code: "IST0112", resource: vs, key: d.pointer, pointer: d.pointer, args: { destHost: d.host, destPorts: `[${found.ports.map((p) => p.number).join(" ")}]` } });
          }
        } else if (found.ports.length > 0 && !found.ports.some((p) => p.number === d.port)) {
          messages.push({ code: "IST0101", resource: vs, key: `port:${d.pointer}`, pointer: d.pointer, args: { reftype: "host:port", refval: `${d.host}:${d.port}` } });
        }
      }
      // IST0140: an ingress route without subset, to a host that a mesh VirtualService splits by subset.
      const gateways = asStrings(at(vs.object.spec, "gateways"));
      if (gateways.length === 0 || gateways.every((g) => g === "mesh")) continue;
      for (const d of routeDestinations(vs)) {
        if (d.subset !== undefined || d.mirror) continue;
        const fqdn = context.fqdn(d.host, namespace);
        const splitter = (splittersByHost.get(fqdn) ?? []).find((other) => other !== vs);
        if (splitter) {
          messages.push({ code: "IST0140", resource: vs, key: `ingress:${d.pointer}`, pointer: d.pointer, args: { virtualservicesubset: d.host, virtualservice: vs.object.metadata.name } });
        }
      }
    }
    return messages;
  },
};

function describedHere(context: AnalysisContext, hosts: readonly RegistryHost[], fqdn: string): boolean {
  const suffix = `.svc.${context.mesh.clusterDomain}`;
  if (hosts.some((h) => h.host === fqdn)) return true;
  if (fqdn.endsWith(suffix)) {
    const namespace = fqdn.slice(0, -suffix.length).split(".")[1] ?? "";
    return context.ofKind("Service").some((s) => context.namespaceOf(s) === namespace);
  }
  return context.ofKind("ServiceEntry").length > 0;
}
