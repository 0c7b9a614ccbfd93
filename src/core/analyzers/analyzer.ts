import { kindIdOf, kindById } from "../kinds.js";
import { asArray, asObject, asStrings, at, resourcesByKind, stringMap, workloadsOf, type Workload } from "../rules/mesh-index.js";
import type { Resource } from "../types.js";

/** The mesh config fields the analyzers read (Istio's MeshConfig; `--mesh-config` in `meshgate analyze`). */
export interface AnalyzerMesh {
  rootNamespace: string;
  clusterDomain: string;
  /** `defaultConfig.proxyMetadata.ISTIO_META_DNS_AUTO_ALLOCATE` (with DNS capture). */
  dnsAutoAllocate: boolean;
  /** The names of `extensionProviders`, with their type (`lightstep`, `zipkin`, …). */
  extensionProviders: { name: string; type: string }[];
  /** Whether `defaultProviders` names any provider. */
  hasDefaultProviders: boolean;
  /** Whether `defaultProviders.accessLogging` names any provider. */
  hasDefaultAccessLogging: boolean;
  /**
   * The mesh's ingress gateway (config `mesh.ingress`), installed outside the repository: a
   * Gateway whose selector no workload of the repository matches runs on it when its labels
   * fit, with the Service ports of Istio's default install.
   */
  ingress: { namespace: string; selector: Record<string, string>; ports: { port: number; targetPort: number }[] };
  /** Shared gateways outside the repository (config `mesh.gateways`): `namespace/name` and the hosts they serve. */
  gateways: { name: string; hosts: string[] }[];
}

/** The ingress gateway Service of Istio's default profile: status, HTTP and HTTPS. */
const DEFAULT_INGRESS_PORTS = [
  { port: 15021, targetPort: 15021 },
  { port: 80, targetPort: 8080 },
  { port: 443, targetPort: 8443 },
];

export function defaultAnalyzerMesh(settings: {
  rootNamespace: string;
  clusterDomain: string;
  ingress: { namespace: string; selector: Record<string, string> };
  gateways: readonly { name: string; hosts: readonly string[] }[];
}): AnalyzerMesh {
  return {
    rootNamespace: settings.rootNamespace,
    clusterDomain: settings.clusterDomain,
    dnsAutoAllocate: false,
    extensionProviders: [],
    hasDefaultProviders: false,
    hasDefaultAccessLogging: false,
    ingress: { namespace: settings.ingress.namespace, selector: settings.ingress.selector, ports: DEFAULT_INGRESS_PORTS },
    gateways: settings.gateways.map((g) => ({ name: g.name, hosts: [...g.hosts] })),
  };
}

/** One message of an analyzer, on the resource it is about. */
export interface AnalyzerMessage {
  code: string;
  resource: Resource;
  /** Values of the code's template placeholders. */
  args: Record<string, string>;
  /** What within the resource is at fault, so that two messages on one resource stay apart. */
  key: string;
  /** JSON pointer of the field at fault, where there is one. */
  pointer?: string;
}

/** A workload: a Pod, or a pod template of a Deployment, StatefulSet, … (the rules' own). */
export type AnalyzedWorkload = Workload;

/** What every analyzer looks things up in: the resources of one revision and the mesh config. */
export interface AnalysisContext {
  mesh: AnalyzerMesh;
  resources: readonly Resource[];
  ofKind(id: string): Resource[];
  namespaceOf(resource: Resource): string;
  workloads: AnalyzedWorkload[];
  /** The Namespace documents, by name. */
  namespaces: ReadonlyMap<string, Resource>;
  /** Every namespace some resource is in or a Namespace names. */
  knownNamespaces: ReadonlySet<string>;
  /** Kubernetes Services by fully qualified host. */
  services: ReadonlyMap<string, Resource>;
  /** The fully qualified form of a host written in `namespace`. */
  fqdn(host: string, namespace: string): string;
}

export interface Analyzer {
  /** Istio's analyzer it reproduces (e.g. `virtualservice.GatewayAnalyzer`). */
  name: string;
  codes: readonly string[];
  analyze(context: AnalysisContext): AnalyzerMessage[];
}

export function buildAnalysisContext(resources: readonly Resource[], mesh: AnalyzerMesh): AnalysisContext {
  const ofKind = resourcesByKind(resources);
  const namespaceOf = (resource: Resource): string => resource.object.metadata.namespace ?? "";
  const workloads = workloadsOf(ofKind);
  const namespaces = new Map(ofKind("Namespace").map((r) => [r.object.metadata.name, r]));
  const knownNamespaces = new Set<string>([...namespaces.keys()]);
  for (const resource of resources) {
    const info = kindById(kindIdOf(resource.object));
    if (!info?.clusterScoped && resource.object.metadata.namespace) knownNamespaces.add(resource.object.metadata.namespace);
  }
  const fqdn = (host: string, namespace: string): string => {
    if (host.includes("*") || host.includes(".")) return host;
    return `${host}.${namespace}.svc.${mesh.clusterDomain}`;
  };
  const services = new Map<string, Resource>();
  for (const service of ofKind("Service")) {
    const host = `${service.object.metadata.name}.${namespaceOf(service)}.svc.${mesh.clusterDomain}`;
    if (!services.has(host)) services.set(host, service);
  }
  return { mesh, resources, ofKind, namespaceOf, workloads, namespaces, knownNamespaces, services, fqdn };
}

/** Whether a selector (labels, all must match) selects the labels; an empty selector selects all. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * Whether a resource with `exportTo` (VirtualService, DestinationRule, ServiceEntry, Service's
 * `networking.istio.io/exportTo` annotation) is visible from `namespace`. Istio's default is
 * the mesh's (`*`): every namespace. `.` is the resource's own namespace, `~` none.
 */
export function visibleFrom(resource: Resource, namespace: string): boolean {
  const own = resource.object.metadata.namespace ?? "";
  const annotation = resource.object.metadata.annotations?.["networking.istio.io/exportTo"];
  const exportTo = resource.object.kind === "Service" ? (annotation !== undefined ? annotation.split(",").map((s) => s.trim()) : []) : asStrings(at(resource.object.spec, "exportTo"));
  if (exportTo.length === 0) return true;
  return exportTo.some((entry) => entry === "*" || (entry === "." && own === namespace) || entry === namespace);
}

/** Istio's host matching: whether `pattern` (maybe `*.example.com` or `*`) covers `host`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*")) {
    const suffix = pattern.slice(1);
    if (host.startsWith("*")) return host.slice(1).endsWith(suffix);
    return host.endsWith(suffix);
  }
  return pattern === host;
}

/** Whether two hosts (either may be a wildcard) overlap. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export { asArray, asObject, asStrings, at, stringMap };
