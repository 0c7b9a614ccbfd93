import type { Resource } from "../types.js";
import { asArray, asStrings, at, hostMatches, type AnalysisContext } from "./analyzer.js";

/** A host the mesh knows: a Kubernetes Service's, or one of a ServiceEntry's. */
export interface RegistryHost {
  host: string;
  namespace: string;
  ports: { number: number; protocol?: string; name?: string }[];
  resource: Resource;
}

/** The hosts of Services and ServiceEntries, as Istio's analyzers build them (both are services to the mesh). */
export function registryHosts(context: AnalysisContext): RegistryHost[] {
  const hosts: RegistryHost[] = [];
  for (const service of context.ofKind("Service")) {
    const namespace = context.namespaceOf(service);
    const ports = asArray(at(service.object.spec, "ports")).flatMap((p) => {
      const number = at(p, "port");
      const name = at(p, "name");
      return typeof number === "number" ? [{ number, ...(typeof name === "string" ? { name } : {}) }] : [];
    });
    hosts.push({ host: `${service.object.metadata.name}.${namespace}.svc.${context.mesh.clusterDomain}`, namespace, ports, resource: service });
  }
  for (const entry of context.ofKind("ServiceEntry")) {
    const namespace = context.namespaceOf(entry);
    const ports = asArray(at(entry.object.spec, "ports")).flatMap((p) => {
      const number = at(p, "number");
      const protocol = at(p, "protocol");
      const name = at(p, "name");
      return typeof number === "number" ? [{ number, ...(typeof protocol === "string" ? { protocol } : {}), ...(typeof name === "string" ? { name } : {}) }] : [];
    });
    for (const host of asStrings(at(entry.object.spec, "hosts"))) hosts.push({ host: context.fqdn(host, namespace), namespace, ports, resource: entry });
  }
  return hosts;
}

/**
 * The namespaces a resource is exported to, as Istio reads `exportTo` (VirtualService,
 * DestinationRule, ServiceEntry) or the `networking.istio.io/exportTo` annotation (Service):
 * `*` for every namespace (the mesh default), `.` resolved to its own namespace.
 */
export function exportScope(resource: Resource): string[] {
  const own = resource.object.metadata.namespace ?? "";
  const annotation = resource.object.metadata.annotations?.["networking.istio.io/exportTo"];
  const raw = resource.object.kind === "Service" ? (annotation !== undefined ? annotation.split(",").map((s) => s.trim()).filter((s) => s !== "") : []) : asStrings(at(resource.object.spec, "exportTo"));
  if (raw.length === 0) return ["*"];
  return raw.map((entry) => (entry === "." ? own : entry));
}

/** Whether a resource exported to `scope` is seen from a namespace (or from all, for `*`). */
export function seenFrom(scope: readonly string[], namespace: string): boolean {
  if (scope.includes("*")) return true;
  if (namespace === "*") return false;
  return scope.includes(namespace);
}

/**
 * The registry host a destination resolves to, for a resource in `namespace` exported to
 * `exportTo`: it must be visible from every namespace the resource is seen in (Istio builds
 * the route there), and Istio's wildcard matching applies. Undefined when nothing matches.
 */
export function resolveHost(params: { hosts: readonly RegistryHost[]; host: string; from: readonly string[] }): RegistryHost | undefined {
  const { hosts, host, from } = params;
  const candidates = candidatesOf(hosts, host);
  const exact = candidates.filter((h) => h.host === host);
  for (const list of [exact, candidates]) {
    const found = list.find((h) => from.every((ns) => seenFrom(exportScope(h.resource), ns)));
    if (found) return found;
  }
  return undefined;
}

/** A route destination of a VirtualService, with where it is written. */
export interface RouteDestination {
  host: string;
  subset?: string;
  port?: number;
  pointer: string;
  /** `http`, `tcp` or `tls`; mirrors are `http`. */
  protocol: string;
  mirror: boolean;
}

export function routeDestinations(vs: Resource): RouteDestination[] {
  const found: RouteDestination[] = [];
  const add = (value: unknown, pointer: string, protocol: string, mirror: boolean): void => {
    // A route entry without a destination routes to no host at all: Istio reports host "".
    const host = value === undefined && !mirror ? "" : at(value as never, "host");
    if (typeof host !== "string") return;
    const subset = at(value as never, "subset");
    const port = at(value as never, "port", "number");
    found.push({ host, pointer, protocol, mirror, ...(typeof subset === "string" ? { subset } : {}), ...(typeof port === "number" ? { port } : {}) });
  };
  for (const protocol of ["http", "tcp", "tls"]) {
    asArray(at(vs.object.spec, protocol)).forEach((route, i) => {
      asArray(at(route, "route")).forEach((r, j) => { add(at(r, "destination"), `/spec/${protocol}/${i}/route/${j}/destination`, protocol, false); });
      if (protocol === "http") {
        add(at(route, "mirror"), `/spec/http/${i}/mirror`, protocol, true);
        asArray(at(route, "mirrors")).forEach((m, j) => { add(at(m, "destination"), `/spec/http/${i}/mirrors/${j}/destination`, protocol, true); });
      }
    });
  }
  return found;
}

/** The namespaces a VirtualService is seen in: its exportTo, else its own namespace's view of the mesh. */
export function viewsOf(resource: Resource): string[] {
  const own = resource.object.metadata.namespace ?? "";
  const raw = asStrings(at(resource.object.spec, "exportTo"));
  if (raw.length === 0) return [own];
  return raw.map((entry) => (entry === "." ? own : entry));
}

/** Each hosts list's index: its hosts by name, and its wildcard ones (few), with their positions. */
const hostIndexes = new WeakMap<readonly RegistryHost[], { exact: Map<string, number[]>; wildcard: number[] }>();

/**
 * `hosts.filter((h) => h.host === host || hostMatches(h.host, host))`, in the list's order,
 * without scanning the list for every destination: a host that is not a wildcard matches only
 * itself. The index is built once per list; the lists `registryHosts` returns are never changed.
 */
export function candidatesOf(hosts: readonly RegistryHost[], host: string): RegistryHost[] {
  let index = hostIndexes.get(hosts);
  if (!index) {
    index = { exact: new Map(), wildcard: [] };
    for (const [i, h] of hosts.entries()) {
      if (h.host.startsWith("*")) index.wildcard.push(i);
      else {
        const list = index.exact.get(h.host);
        if (list) list.push(i);
        else index.exact.set(h.host, [i]);
      }
    }
    hostIndexes.set(hosts, index);
  }
  const positions = [...(index.exact.get(host) ?? []), ...index.wildcard.filter((i) => {
    const pattern = (hosts[i] as RegistryHost).host;
    return pattern === host || hostMatches(pattern, host);
  })];
  return positions.sort((a, b) => a - b).map((i) => hosts[i] as RegistryHost);
}
