import { authorizationNotes } from "./diff/notes/authorization-notes.js";
import { destinationTlsNotes } from "./diff/notes/destination-tls-notes.js";
import { egressNotes, sidecarEgressNotes } from "./diff/notes/egress-notes.js";
import { gatewayBindingNotes, gatewayNotes } from "./diff/notes/gateway-notes.js";
import { gatewayRouteNotes } from "./diff/notes/gateway-route-notes.js";
import { ingressNotes } from "./diff/notes/ingress-notes.js";
import { jwtNotes } from "./diff/notes/jwt-notes.js";
import { mtlsNotes } from "./diff/notes/mtls-notes.js";
import type { NoteRule } from "./diff/notes/note-draft.js";
import { routeNotes } from "./diff/notes/route-notes.js";
import { selectedNotes } from "./diff/notes/selected-notes.js";
import { serviceNotes } from "./diff/notes/service-notes.js";
import type { JsonValue, KubeObject } from "./types.js";

/**
 * How a kind picks the workloads it acts on. `selector` is the path of its label map (absent
 * labels: every workload of its namespace, or of the mesh in the root namespace); `targetRefs`
 * says it may bind to a Gateway or Service instead.
 */
export interface WorkloadSelection {
  selector: readonly string[];
  targetRefs: boolean;
}

/** Whether a change of one object needs the security team: always, or as the predicate decides. */
export type SecurityRelevance = boolean | ((before: KubeObject | undefined, after: KubeObject | undefined) => boolean);

/** What meshgate knows of one kind: the one table that discovery, rendering, approvals and notes consult. */
export interface KindInfo {
  /** API group; `""` for the core group. */
  group: string;
  kind: string;
  /** The versions the API server serves (a document at another version is refused). */
  versions: readonly string[];
  /**
   * How code names the kind: the kind itself, or `Kind.group` (kubectl's spelling) where two
   * groups share a kind name (a Gateway API `Gateway` is not an Istio one).
   */
  id: string;
  /** Cluster-scoped kinds have no namespace, so none is defaulted for them. */
  clusterScoped?: true;
  /** The family it belongs to, as the README and notes name it. */
  family: "istio" | "gateway-api" | "kubernetes" | "kubevela";
  /** Whether a change of it needs the security team's approval (CHG-002). */
  securityRelevant: SecurityRelevance;
  /** For a policy-like kind, how it selects workloads. */
  selects?: WorkloadSelection;
  /** For a workload kind, the path of its pod template (`[]`: the object is the pod). */
  podTemplate?: readonly string[];
  /**
   * The rules that describe its changes in an operator's words. A selecting kind wraps its rules
   * in `selectedNotes`, so that a version selecting no workload is said to have no effect.
   */
  notes: readonly NoteRule[];
  /**
   * Top-level fields whose values meshgate never reads nor shows (a Secret's key material):
   * only their keys are kept, so that renders, diffs and comments cannot leak them.
   */
  redact?: readonly string[];
  /**
   * For a kind that mostly does not touch the mesh, the names of the objects that do: the others
   * are not read, like documents of a kind meshgate does not know.
   */
  readsOnly?: { names: string; matches: (name: string) => boolean };
}

function isInjectorConfigMap(name: string): boolean {
  return name === "istio-sidecar-injector" || name.startsWith("istio-sidecar-injector-");
}

const ISTIO_VERSIONS = ["v1alpha3", "v1beta1", "v1"] as const;

/** Annotation and label prefixes that take a pod out of the proxy, or change what the proxy is. */
export const MESH_METADATA_PREFIXES: readonly string[] = [
  "sidecar.istio.io/",
  "traffic.sidecar.istio.io/",
  "proxy.istio.io/",
  "inject.istio.io/",
  "istio.io/",
  "ambient.istio.io/",
  "networking.istio.io/",
  "security.istio.io/",
  "status.sidecar.istio.io/",
];

/** Namespace labels that decide injection, the data-plane mode and waypoints. */
export const NAMESPACE_MESH_LABELS: readonly string[] = ["istio-injection", "istio.io/rev", "istio.io/dataplane-mode", "istio.io/use-waypoint", "istio.io/use-waypoint-namespace", "istio-discovery"];

const POLICY_SELECTION: WorkloadSelection = { selector: ["spec", "selector", "matchLabels"], targetRefs: true };

function istio(group: string, kind: string, extra: Partial<KindInfo> & Pick<KindInfo, "securityRelevant">, versions: readonly string[] = ISTIO_VERSIONS): KindInfo {
  return { group, kind, versions, id: kind, family: "istio", notes: [], ...extra };
}

function gatewayApi(kind: string, versions: readonly string[], group = "gateway.networking.k8s.io"): KindInfo {
  // Every Gateway API object decides who reaches what: listeners, routes, grants, backend TLS.
  return { group, kind, versions, id: kind === "Gateway" ? `Gateway.${group}` : kind, family: "gateway-api", securityRelevant: true, notes: [], ...(kind === "GatewayClass" ? { clusterScoped: true as const } : {}) };
}

function kubernetes(group: string, kind: string, versions: readonly string[], extra: Partial<KindInfo> & Pick<KindInfo, "securityRelevant">): KindInfo {
  return { group, kind, versions, id: kind, family: "kubernetes", notes: [], ...extra };
}

function workload(group: string, kind: string, podTemplate: readonly string[], versions: readonly string[] = ["v1"]): KindInfo {
  return kubernetes(group, kind, versions, {
    podTemplate,
    securityRelevant: (before, after) => {
      const [was, is] = [podMeshFacts(before, podTemplate), podMeshFacts(after, podTemplate)];
      // A new workload runs as the account it names; a workload that changes account changes identity.
      if (before && after && was.serviceAccount !== is.serviceAccount) return true;
      return !same({ ...was, serviceAccount: null }, { ...is, serviceAccount: null });
    },
  });
}

/**
 * The kinds meshgate reads, renders and diffs, because the cluster's mesh behaviour depends on
 * them. Every document of one of these kinds is a resource of its revision; a document of an
 * Istio or Gateway API group whose kind is not here fails closed (see `isMeshGroup`).
 */
export const KINDS: readonly KindInfo[] = [
  // networking.istio.io
  istio("networking.istio.io", "VirtualService", { securityRelevant: virtualServiceExposureChanged, notes: [gatewayBindingNotes, gatewayRouteNotes, routeNotes] }),
  istio("networking.istio.io", "DestinationRule", { securityRelevant: (before, after) => !same(tlsSettings(before), tlsSettings(after)), notes: [destinationTlsNotes] }),
  istio("networking.istio.io", "Gateway", { securityRelevant: true, notes: [gatewayNotes] }),
  istio("networking.istio.io", "ServiceEntry", { securityRelevant: true, notes: [egressNotes] }),
  istio("networking.istio.io", "Sidecar", { securityRelevant: true, selects: { selector: ["spec", "workloadSelector", "labels"], targetRefs: false }, notes: [selectedNotes("egress", [sidecarEgressNotes])] }),
  istio("networking.istio.io", "EnvoyFilter", { securityRelevant: true, selects: { selector: ["spec", "workloadSelector", "labels"], targetRefs: true } }, ["v1alpha3"]),
  istio("networking.istio.io", "WorkloadEntry", { securityRelevant: true }),
  istio("networking.istio.io", "WorkloadGroup", { securityRelevant: true }),
  istio("networking.istio.io", "ProxyConfig", { securityRelevant: true, selects: { selector: ["spec", "selector", "matchLabels"], targetRefs: false } }, ["v1beta1"]),
  // security.istio.io
  istio("security.istio.io", "AuthorizationPolicy", { securityRelevant: true, selects: POLICY_SELECTION, notes: [selectedNotes("authorization", [authorizationNotes])] }, ["v1beta1", "v1"]),
  istio("security.istio.io", "PeerAuthentication", { securityRelevant: true, selects: { selector: ["spec", "selector", "matchLabels"], targetRefs: false }, notes: [selectedNotes("mtls", [mtlsNotes])] }, ["v1beta1", "v1"]),
  istio("security.istio.io", "RequestAuthentication", { securityRelevant: true, selects: POLICY_SELECTION, notes: [selectedNotes("jwt", [jwtNotes])] }, ["v1beta1", "v1"]),
  // telemetry.istio.io: access logs and traces are the audit trail.
  istio("telemetry.istio.io", "Telemetry", { securityRelevant: true, selects: POLICY_SELECTION }, ["v1alpha1", "v1"]),
  // extensions.istio.io: code the proxy runs.
  istio("extensions.istio.io", "WasmPlugin", { securityRelevant: true, selects: POLICY_SELECTION }, ["v1alpha1"]),
  istio("extensions.istio.io", "TrafficExtension", { securityRelevant: true, selects: POLICY_SELECTION }, ["v1alpha1"]),
  // Gateway API
  gatewayApi("GatewayClass", ["v1", "v1beta1"]),
  gatewayApi("Gateway", ["v1", "v1beta1"]),
  gatewayApi("ListenerSet", ["v1"]),
  gatewayApi("HTTPRoute", ["v1", "v1beta1"]),
  gatewayApi("GRPCRoute", ["v1", "v1alpha2"]),
  gatewayApi("TLSRoute", ["v1", "v1alpha3", "v1alpha2"]),
  gatewayApi("TCPRoute", ["v1alpha2"]),
  gatewayApi("UDPRoute", ["v1alpha2"]),
  gatewayApi("ReferenceGrant", ["v1", "v1beta1", "v1alpha2"]),
  gatewayApi("BackendTLSPolicy", ["v1", "v1alpha3"]),
  gatewayApi("XListenerSet", ["v1alpha1"], "gateway.networking.x-k8s.io"),
  gatewayApi("XBackendTrafficPolicy", ["v1alpha1"], "gateway.networking.x-k8s.io"),
  gatewayApi("XMesh", ["v1alpha1"], "gateway.networking.x-k8s.io"),
  // Kubernetes: what the mesh serves, who runs in it, and how it is reached around it.
  kubernetes("", "Service", ["v1"], { securityRelevant: (before, after) => !same(serviceExposure(before), serviceExposure(after)), notes: [serviceNotes] }),
  kubernetes("", "ServiceAccount", ["v1"], { securityRelevant: false }),
  // Gateways serve the certificates of the Secrets their servers name (credentialName).
  kubernetes("", "Secret", ["v1"], { securityRelevant: true, redact: ["data", "stringData"] }),
  // The sidecar injector's ConfigMap (`istio-sidecar-injector[-<revision>]`): its
  // `sidecarInjectorWebhook.enableNamespacesByDefault` injects every unlabelled namespace.
  kubernetes("", "ConfigMap", ["v1"], {
    securityRelevant: (before, after) => [before, after].some((o) => o !== undefined && isInjectorConfigMap(o.metadata.name)),
    readsOnly: { names: "`istio-sidecar-injector[-<revision>]`", matches: isInjectorConfigMap },
  }),
  kubernetes("", "Namespace", ["v1"], { clusterScoped: true, securityRelevant: (before, after) => !same(namespaceMeshLabels(before), namespaceMeshLabels(after)) }),
  // Endpoints given by hand join a Service's traffic without any selector.
  kubernetes("", "Endpoints", ["v1"], { securityRelevant: true }),
  kubernetes("discovery.k8s.io", "EndpointSlice", ["v1"], { securityRelevant: true }),
  kubernetes("networking.k8s.io", "Ingress", ["v1"], { securityRelevant: true, notes: [ingressNotes] }),
  kubernetes("networking.k8s.io", "IngressClass", ["v1"], { clusterScoped: true, securityRelevant: true }),
  // OpenKruise's Rollout (the KubeVela kruise-rollout trait): shifts an Ingress's or HTTPRoute's weights step by step.
  kubernetes("rollouts.kruise.io", "Rollout", ["v1alpha1", "v1beta1"], { securityRelevant: false }),
  workload("apps", "Deployment", ["spec", "template"]),
  workload("apps", "StatefulSet", ["spec", "template"]),
  workload("apps", "DaemonSet", ["spec", "template"]),
  workload("apps", "ReplicaSet", ["spec", "template"]),
  workload("", "ReplicationController", ["spec", "template"]),
  workload("", "Pod", []),
  workload("batch", "Job", ["spec", "template"]),
  workload("batch", "CronJob", ["spec", "jobTemplate", "spec", "template"]),
  // KubeVela: a definition decides what every Application of its type renders, so editing one
  // changes the mesh of all of them at once.
  { group: "core.oam.dev", kind: "TraitDefinition", versions: ["v1beta1"], id: "TraitDefinition", family: "kubevela", securityRelevant: true, notes: [] },
  { group: "core.oam.dev", kind: "ComponentDefinition", versions: ["v1beta1"], id: "ComponentDefinition", family: "kubevela", securityRelevant: true, notes: [] },
];

const BY_GROUP_KIND = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
const BY_ID = new Map(KINDS.map((k) => [k.id, k]));

/** `[group, version]` of an apiVersion; the core group is `""`. */
export function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** The registry's entry for an object's group and kind, whatever its version. */
export function kindInfo(object: Pick<KubeObject, "apiVersion" | "kind">): KindInfo | undefined {
  return BY_GROUP_KIND.get(`${splitApiVersion(object.apiVersion)[0]}/${object.kind}`);
}

/** The registry's entry by the id code uses (`VirtualService`, `Gateway.gateway.networking.k8s.io`). */
export function kindById(id: string): KindInfo | undefined {
  return BY_ID.get(id);
}

/** How code names an object's kind: its registry id, or `Kind.group` for kinds meshgate does not know. */
export function kindIdOf(object: Pick<KubeObject, "apiVersion" | "kind">): string {
  const info = kindInfo(object);
  if (info) return info.id;
  const [group] = splitApiVersion(object.apiVersion);
  return group === "" ? object.kind : `${object.kind}.${group}`;
}

/** Groups whose every kind changes the mesh: a kind of theirs that meshgate does not model fails closed. */
export function isMeshGroup(group: string): boolean {
  return group === "istio.io" || group.endsWith(".istio.io") || group === "gateway.networking.k8s.io" || group === "gateway.networking.x-k8s.io";
}

/** The workload kinds' entries: whatever runs pods that policies select. */
export const WORKLOAD_KINDS: readonly KindInfo[] = KINDS.filter((k) => k.podTemplate !== undefined);

/** Whether a changed object needs the security team: its kind says so, always or for this change. */
export function isSecurityRelevantChange(before: KubeObject | undefined, after: KubeObject | undefined): boolean {
  const object = after ?? before;
  if (!object) return false;
  const relevance = kindInfo(object)?.securityRelevant ?? false;
  return typeof relevance === "function" ? relevance(before, after) : relevance;
}

function asList(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function field(value: JsonValue | KubeObject | undefined, ...path: readonly string[]): JsonValue | undefined {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

function meshEntries(map: JsonValue | undefined, keep: (key: string) => boolean): [string, JsonValue | undefined][] {
  if (map === null || typeof map !== "object" || Array.isArray(map)) return [];
  return Object.entries(map).filter(([key]) => keep(key)).sort(([a], [b]) => (a < b ? -1 : 1));
}

const isMeshKey = (key: string): boolean => MESH_METADATA_PREFIXES.some((prefix) => key.startsWith(prefix));

/**
 * What of a pod template decides how the mesh treats it: mesh labels and annotations, identity,
 * host networking (which bypasses the proxy). An absent workload has the facts of a plain pod.
 */
function podMeshFacts(object: KubeObject | undefined, podTemplate: readonly string[]): { labels: unknown; annotations: unknown; serviceAccount: JsonValue; hostNetwork: JsonValue } {
  const pod = object ? (podTemplate.length === 0 ? (object as unknown as JsonValue) : field(object, ...podTemplate)) : undefined;
  return {
    labels: meshEntries(field(pod, "metadata", "labels"), isMeshKey),
    annotations: meshEntries(field(pod, "metadata", "annotations"), isMeshKey),
    serviceAccount: field(pod, "spec", "serviceAccountName") ?? field(pod, "spec", "serviceAccount") ?? null,
    hostNetwork: field(pod, "spec", "hostNetwork") ?? false,
  };
}

/**
 * How a Service is reached: its type and whatever exposes it beyond the cluster's own network.
 * An absent Service compares as a plain ClusterIP one, so adding one that stays inside the mesh
 * is no security change, and adding a LoadBalancer is.
 */
function serviceExposure(object: KubeObject | undefined): unknown {
  const spec = object?.spec;
  return {
    type: field(spec, "type") ?? "ClusterIP",
    externalName: field(spec, "externalName") ?? null,
    externalIPs: field(spec, "externalIPs") ?? null,
    loadBalancerSourceRanges: field(spec, "loadBalancerSourceRanges") ?? null,
    externalTrafficPolicy: field(spec, "externalTrafficPolicy") ?? null,
  };
}

function namespaceMeshLabels(object: KubeObject | undefined): unknown {
  return meshEntries(object?.metadata.labels, (key) => NAMESPACE_MESH_LABELS.includes(key) || isMeshKey(key));
}

/** A VirtualService changes who may reach what when its gateways change, or the hosts it binds on them. */
function virtualServiceExposureChanged(before: KubeObject | undefined, after: KubeObject | undefined): boolean {
  const exposure = (object: KubeObject | undefined): unknown => {
    if (!object) return null;
    const gateways = field(object.spec, "gateways");
    const onGateway = Array.isArray(gateways) && gateways.some((g) => g !== "mesh");
    // On a gateway, which paths are let in from the edge is exposure too.
    const matches = onGateway ? (asList(field(object.spec, "http")).map((route) => field(route, "match") ?? null)) : null;
    return { gateways: gateways ?? null, hosts: onGateway ? (field(object.spec, "hosts") ?? null) : null, matches };
  };
  return !same(exposure(before), exposure(after));
}

/** Every `tls` block of a DestinationRule, by where it is: what decides whether traffic is encrypted. */
function tlsSettings(object: KubeObject | undefined): unknown {
  if (!object) return null;
  const found: [string, JsonValue][] = [];
  const walk = (value: JsonValue | undefined, path: string): void => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => { walk(item, `${path}/${i}`); });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      if (key === "tls") found.push([`${path}/tls`, child]);
      else walk(child, `${path}/${key}`);
    }
  };
  walk(object.spec, "");
  return found;
}
