import type { JsonValue, Resource } from "../../types.js";
import { asArray, at, policySelector, type MeshIndex, type Workload } from "../mesh-index.js";

// Istio's authorization semantics that several access templates share. They would sit well in
// MeshIndex; they live here so that the index stays as the framework defined it.

/** The Istio security resources of a kind (not a namesake kind of another API group). */
export function securityResources(index: MeshIndex, kind: string): Resource[] {
  return index.ofKind(kind).filter((r) => r.object.apiVersion.startsWith("security.istio.io/"));
}

/** A policy's action: Istio's default is ALLOW. */
export function actionOf(policy: Resource): string {
  const action = at(policy.object.spec, "action");
  return typeof action === "string" ? action : "ALLOW";
}

/**
 * Whether a policy binds by `targetRef` / `targetRefs` (a gateway, a waypoint's service): it is
 * then enforced there, not in the sidecars its (absent) selector would seem to cover.
 */
export function bindsByTargetRef(policy: Resource): boolean {
  return at(policy.object.spec, "targetRef") !== undefined || asArray(at(policy.object.spec, "targetRefs")).length > 0;
}

/**
 * The policies (of those given) that a workload's sidecar enforces, in the given order. Indexed
 * by namespace and by one label of each selector, so a render with thousands of workloads and
 * policies is not a scan of every pair.
 */
export function policiesEnforcedOn(index: MeshIndex, policies: readonly Resource[]): (workload: Workload) => Resource[] {
  const buckets = new Map<string, { policy: Resource; order: number }[]>();
  policies.forEach((policy, order) => {
    if (bindsByTargetRef(policy)) return;
    const [first] = Object.entries(policySelector(policy));
    const key = bucketKey(policy.object.metadata.namespace ?? "", first);
    const bucket = buckets.get(key) ?? [];
    bucket.push({ policy, order });
    buckets.set(key, bucket);
  });
  return (workload) => {
    const namespaces = [...new Set([workload.namespace, index.rootNamespace])];
    const candidates = namespaces.flatMap((namespace) => [
      ...(buckets.get(bucketKey(namespace, undefined)) ?? []),
      ...Object.entries(workload.labels).flatMap((label) => buckets.get(bucketKey(namespace, label)) ?? []),
    ]);
    return candidates
      .filter(({ policy }) => index.appliesTo(policy, workload))
      .sort((a, b) => a.order - b.order)
      .map(({ policy }) => policy);
  };
}

/** The workloads a policy applies to (MeshIndex.selectedBy), indexed by namespace and label likewise. */
export function workloadsSelectedBy(index: MeshIndex): (policy: Resource) => Workload[] {
  const buckets = new Map<string, Workload[]>();
  const add = (key: string, workload: Workload): void => {
    const bucket = buckets.get(key) ?? [];
    bucket.push(workload);
    buckets.set(key, bucket);
  };
  // The root namespace's policies select across namespaces: its keys stand for every namespace.
  const everywhere = index.rootNamespace;
  for (const workload of index.workloads) {
    for (const namespace of new Set([workload.namespace, everywhere])) {
      add(bucketKey(namespace, undefined), workload);
      for (const label of Object.entries(workload.labels)) add(bucketKey(namespace, label), workload);
    }
  }
  return (policy) => {
    const [first] = Object.entries(policySelector(policy));
    const candidates = buckets.get(bucketKey(policy.object.metadata.namespace ?? "", first)) ?? [];
    return candidates.filter((workload) => index.appliesTo(policy, workload));
  };
}

function bucketKey(namespace: string, label: [string, string] | undefined): string {
  return label ? `${namespace}\u0000${label[0]}\u0000${label[1]}` : namespace;
}

/** Istio's allow-nothing: an ALLOW policy without rules denies every request to what it selects. */
export function isAllowNothing(policy: Resource): boolean {
  if (actionOf(policy) !== "ALLOW") return false;
  const rules: JsonValue | undefined = at(policy.object.spec, "rules");
  return rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
}

/** The rules of a policy, each with its index (a `null` entry is read as the empty rule). */
export function rulesOf(policy: Resource): { rule: JsonValue; index: number }[] {
  return asArray(at(policy.object.spec, "rules")).map((rule, index) => ({ rule: rule ?? {}, index }));
}

/** A JSON pointer segment (RFC 6901): `/` and `~` escaped. */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, "~0").replace(/\//g, "~1");
}
