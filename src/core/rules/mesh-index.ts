import type { Config } from "../config/config.js";
import { kindIdOf, kindInfo, WORKLOAD_KINDS } from "../kinds.js";
import type { JsonObject, JsonValue, RenderResult, Resource } from "../types.js";

/** A pod template the render knows of (of any workload kind), with the labels policies select it by. */
export interface Workload {
  /** The workload's kind: Deployment, StatefulSet, Pod, … */
  kind: string;
  namespace: string;
  name: string;
  /** The pod's labels: what Services and policies select. */
  labels: Record<string, string>;
  /** The pod's annotations. */
  annotations: Record<string, string>;
  /** The pod template (or the Pod itself), as plain JSON. */
  pod: JsonObject;
  resource: Resource;
}

export interface ServicePort {
  port: number;
  name?: string;
  appProtocol?: string;
}

export interface KnownService {
  host: string;
  namespace: string;
  name: string;
  ports: ServicePort[];
  selector: Record<string, string>;
  resource: Resource;
}

/**
 * What cross-resource rules need to look up in one render: workloads and the policies that
 * select them, services by host, objects by kind. Built once per render; the helpers follow
 * Istio's semantics for selectors, namespaces and short host names.
 */
export interface MeshIndex {
  rootNamespace: string;
  clusterDomain: string;
  /** The resources of a kind, by its registry id (`VirtualService`, `Gateway.gateway.networking.k8s.io`). */
  ofKind(kind: string): Resource[];
  workloads: Workload[];
  /** Kubernetes Services, rendered or raw, by fully qualified host. */
  services: ReadonlyMap<string, KnownService>;
  /** The fully qualified form of a host as written in a resource of `namespace`. */
  fqdn(host: string, namespace: string): string;
  /** Whether a selector-bearing policy (PeerAuthentication, AuthorizationPolicy, …) applies to a workload. */
  appliesTo(policy: Resource, workload: Workload): boolean;
  /** The workloads a policy applies to. */
  selectedBy(policy: Resource): Workload[];
  /** The policies of a kind (in render order) that apply to a workload. */
  policiesOn(kind: string, workload: Workload): Resource[];
  /** The workloads of a namespace whose labels match a selector (a Service's); none for an empty one. */
  workloadsMatching(namespace: string, selector: Record<string, string>): Workload[];
}

/** The resources of each kind, by registry id: one pass over a render. */
export function resourcesByKind(resources: readonly Resource[]): (id: string) => Resource[] {
  const byKind = new Map<string, Resource[]>();
  for (const resource of resources) {
    const id = kindIdOf(resource.object);
    const list = byKind.get(id) ?? [];
    list.push(resource);
    byKind.set(id, list);
  }
  return (id) => byKind.get(id) ?? [];
}

/** The pod templates of every workload kind the registry knows, with their labels and annotations. */
export function workloadsOf(ofKind: (id: string) => Resource[]): Workload[] {
  return WORKLOAD_KINDS.flatMap((info) =>
    ofKind(info.id).map((resource): Workload => {
      const pod = asObject(at(resource.object, ...(info.podTemplate ?? [])));
      return {
        kind: info.kind,
        namespace: resource.object.metadata.namespace ?? "",
        name: resource.object.metadata.name,
        labels: stringMap(at(pod, "metadata", "labels")),
        annotations: stringMap(at(pod, "metadata", "annotations")),
        pod,
        resource,
      };
    }),
  );
}

export function buildMeshIndex(render: Pick<RenderResult, "resources">, config: { mesh: Pick<Config["mesh"], "rootNamespace" | "clusterDomain"> }): MeshIndex {
  const { rootNamespace, clusterDomain } = config.mesh;
  const ofKind = resourcesByKind(render.resources);
  const workloads = workloadsOf(ofKind);

  const fqdn = (host: string, namespace: string): string => {
    if (host.includes("*")) return host;
    // Like Istio, only a name without a dot is short: `reviews.prod` stays as written.
    return host.includes(".") ? host : `${host}.${namespace}.svc.${clusterDomain}`;
  };

  const services = new Map<string, KnownService>();
  // Kubernetes Services only: a Knative Service passed through k8s-objects is another kind (its id is `Service.serving.knative.dev`).
  for (const resource of ofKind("Service")) {
    const namespace = resource.object.metadata.namespace ?? "";
    const host = `${resource.object.metadata.name}.${namespace}.svc.${clusterDomain}`;
    if (services.has(host)) continue;
    const ports = asArray(at(resource.object.spec, "ports")).flatMap((p): ServicePort[] => {
      const port = at(p, "port");
      if (typeof port !== "number") return [];
      const name = at(p, "name");
      const appProtocol = at(p, "appProtocol");
      return [{ port, ...(typeof name === "string" ? { name } : {}), ...(typeof appProtocol === "string" ? { appProtocol } : {}) }];
    });
    services.set(host, { host, namespace, name: resource.object.metadata.name, ports, selector: stringMap(at(resource.object.spec, "selector")), resource });
  }

  const appliesTo = (policy: Resource, workload: Workload): boolean => {
    if (bindsByTargetRef(policy)) return false;
    const namespace = policy.object.metadata.namespace ?? "";
    if (namespace !== rootNamespace && namespace !== workload.namespace) return false;
    const selector = policySelector(policy);
    return Object.entries(selector).every(([key, value]) => workload.labels[key] === value);
  };

  // Lookups by namespace and one label of a selector, so that a render with thousands of
  // workloads and policies is never a scan of every pair. The root namespace's policies select
  // across namespaces, so every workload is also filed under it.
  const workloadBuckets = new Map<string, Workload[]>();
  for (const workload of workloads) {
    for (const namespace of new Set([workload.namespace, rootNamespace])) {
      file(workloadBuckets, bucketKey(namespace), workload);
      for (const label of Object.entries(workload.labels)) file(workloadBuckets, bucketKey(namespace, label), workload);
    }
  }
  const candidatesFor = (namespace: string, selector: Record<string, string>): Workload[] => {
    const [first] = Object.entries(selector);
    return workloadBuckets.get(bucketKey(namespace, first)) ?? [];
  };

  const policyBuckets = new Map<string, Map<string, { policy: Resource; order: number }[]>>();
  const policyBucketsOf = (kind: string): Map<string, { policy: Resource; order: number }[]> => {
    let buckets = policyBuckets.get(kind);
    if (!buckets) {
      buckets = new Map();
      for (const [order, policy] of ofKind(kind).entries()) {
        if (bindsByTargetRef(policy)) continue;
        const [first] = Object.entries(policySelector(policy));
        file(buckets, bucketKey(policy.object.metadata.namespace ?? "", first), { policy, order });
      }
      policyBuckets.set(kind, buckets);
    }
    return buckets;
  };

  return {
    rootNamespace,
    clusterDomain,
    ofKind,
    workloads,
    services,
    fqdn,
    appliesTo,
    selectedBy: (policy) => {
      if (bindsByTargetRef(policy)) return [];
      return candidatesFor(policy.object.metadata.namespace ?? "", policySelector(policy)).filter((w) => appliesTo(policy, w));
    },
    policiesOn: (kind, workload) => {
      const buckets = policyBucketsOf(kind);
      return [...new Set([workload.namespace, rootNamespace])]
        .flatMap((namespace) => [
          ...(buckets.get(bucketKey(namespace)) ?? []),
          ...Object.entries(workload.labels).flatMap((label) => buckets.get(bucketKey(namespace, label)) ?? []),
        ])
        .filter(({ policy }) => appliesTo(policy, workload))
        .sort((a, b) => a.order - b.order)
        .map(({ policy }) => policy);
    },
    workloadsMatching: (namespace, selector) => {
      const entries = Object.entries(selector);
      if (entries.length === 0) return [];
      return candidatesFor(namespace, selector).filter((w) => w.namespace === namespace && entries.every(([key, value]) => w.labels[key] === value));
    },
  };
}

function bucketKey(namespace: string, label?: [string, string]): string {
  return label ? `${namespace}\u0000${label[0]}\u0000${label[1]}` : namespace;
}

function file<T>(buckets: Map<string, T[]>, key: string, item: T): void {
  const bucket = buckets.get(key);
  if (bucket) bucket.push(item);
  else buckets.set(key, [item]);
}

/**
 * Whether a policy binds by `targetRef` / `targetRefs` (a gateway, a waypoint's service): it is
 * then enforced there, never in the sidecars its (absent) selector would seem to cover.
 */
export function bindsByTargetRef(policy: Resource): boolean {
  return at(policy.object.spec, "targetRef") !== undefined || asArray(at(policy.object.spec, "targetRefs")).length > 0;
}

/** The labels a policy selects by, where its kind keeps them (`selector.matchLabels`, `workloadSelector.labels`). Empty = every workload in scope. */
export function policySelector(policy: Resource): Record<string, string> {
  const path = kindInfo(policy.object)?.selects?.selector ?? ["spec", "selector", "matchLabels"];
  return stringMap(at(policy.object, ...path));
}

/**
 * Whether a policy selects by labels that no workload of the render carries, so that it has no
 * effect (MESH-006, and the notes of its changes). A selector-less policy covers its namespace
 * (or the mesh) and one bound by `targetRefs` is enforced where it points: neither is inert.
 */
export function selectsNoWorkload(policy: Resource, index: MeshIndex): boolean {
  return !isSelectorless(policy) && !bindsByTargetRef(policy) && index.selectedBy(policy).length === 0;
}

/** Whether a policy has no selector, so it applies to its whole namespace (or mesh, in the root namespace). */
export function isSelectorless(policy: Resource): boolean {
  return Object.keys(policySelector(policy)).length === 0;
}

/** Reads a nested field of plain JSON without trusting its shape: raw documents may hold anything. */
export function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current) ? (typeof key === "number" ? current[key] : undefined) : current[key];
  }
  return current;
}

export function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function asObject(value: JsonValue | undefined): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}

export function stringMap(value: JsonValue | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(asObject(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function asStrings(value: JsonValue | undefined): string[] {
  return asArray(value).filter((v): v is string => typeof v === "string");
}
