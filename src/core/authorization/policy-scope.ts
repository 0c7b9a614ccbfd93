import { asArray, at, bindsByTargetRef, policySelector, type MeshIndex, type Workload } from "../rules/mesh-index.js";
import type { Resource } from "../types.js";

/**
 * What a policy-like resource covers, symbolically: the whole mesh (selector-less in the root
 * namespace), a namespace (selector-less), the workloads carrying some labels in a namespace
 * (or, `namespace: "*"`, in every namespace, from the root namespace), or the gateways and
 * services its `targetRefs` name.
 */
export type PolicyScope =
  | { kind: "mesh" }
  | { kind: "namespace"; namespace: string }
  | { kind: "selector"; namespace: string; labels: Record<string, string> }
  | { kind: "targets"; refs: string[] }
  | { kind: "workload"; workload: string };

export function policyScope(policy: Resource, rootNamespace: string): PolicyScope {
  const namespace = policy.object.metadata.namespace ?? "";
  if (bindsByTargetRef(policy)) {
    const refs = [at(policy.object.spec, "targetRef"), ...asArray(at(policy.object.spec, "targetRefs"))].flatMap((ref) => {
      const kind = at(ref, "kind");
      const name = at(ref, "name");
      if (typeof kind !== "string" || typeof name !== "string") return [];
      const group = at(ref, "group");
      const refNamespace = at(ref, "namespace");
      return [`${kind}${typeof group === "string" && group !== "" ? `.${group}` : ""}/${typeof refNamespace === "string" ? refNamespace : namespace}/${name}`];
    });
    return { kind: "targets", refs: [...new Set(refs)].sort() };
  }
  const labels = policySelector(policy);
  const root = namespace === rootNamespace;
  if (Object.keys(labels).length === 0) return root ? { kind: "mesh" } : { kind: "namespace", namespace };
  return { kind: "selector", namespace: root ? "*" : namespace, labels };
}

/** Whether every workload that `narrower` covers is covered by `wider` too. */
export function scopeCovers(wider: PolicyScope, narrower: PolicyScope): boolean {
  if (wider.kind === "mesh") return narrower.kind !== "targets";
  if (narrower.kind === "mesh") return false;
  if (wider.kind === "targets" || narrower.kind === "targets") return wider.kind === "targets" && narrower.kind === "targets" && narrower.refs.every((r) => wider.refs.includes(r));
  if (wider.kind === "workload" || narrower.kind === "workload") return wider.kind === narrower.kind && scopeText(wider) === scopeText(narrower);
  if (wider.kind === "namespace") return narrower.kind === "namespace" ? narrower.namespace === wider.namespace : narrower.namespace === wider.namespace;
  if (narrower.kind === "namespace") return false;
  const sameNamespace = wider.namespace === "*" || wider.namespace === narrower.namespace;
  return sameNamespace && Object.entries(wider.labels).every(([k, v]) => narrower.labels[k] === v);
}

/** The scope in words (and in fingerprints: equal scopes read alike). */
export function scopeText(scope: PolicyScope): string {
  switch (scope.kind) {
    case "mesh":
      return "every workload in the mesh";
    case "namespace":
      return `every workload in namespace ${scope.namespace}`;
    case "selector": {
      const labels = Object.entries(scope.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(",");
      return scope.namespace === "*" ? `workloads ${labels} in every namespace` : `workloads ${labels} in namespace ${scope.namespace}`;
    }
    case "targets":
      return `targets ${scope.refs.join(", ")}`;
    case "workload":
      return `workload ${scope.workload}`;
  }
}

/** The workloads of the render a policy applies to (none for one bound by `targetRefs`: it is enforced where it points). */
export function selectedWorkloads(policy: Resource, index: MeshIndex): Workload[] {
  return index.selectedBy(policy);
}
