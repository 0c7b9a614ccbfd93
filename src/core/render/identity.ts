import type { KubeObject, Resource } from "../types.js";

/** Where a resource is applied: its environment and the workflow step that applies it. */
export type ResourceScope = Pick<Resource, "environment" | "step">;

/**
 * `group/kind/namespace/name`: the API group, not the version, so a resource moved from
 * v1beta1 to v1 is the same resource. The core group is spelt `core`. A resource of an
 * environment or a workflow step is prefixed by them (`env:production/…`, `step:rollout-1st/…`),
 * so the same Gateway in staging and in production are two resources.
 */
export function identityOf(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">, scope: ResourceScope = {}): string {
  const group = object.apiVersion.includes("/") ? (object.apiVersion.split("/")[0] ?? "") : "core";
  const prefix = `${scope.environment !== undefined ? `env:${scope.environment}/` : ""}${scope.step ? `step:${scope.step.name}/` : ""}`;
  return `${prefix}${group}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}

/** How a reviewer reads a resource's scope: ` in production`, ` (step rollout-rest, after manual gate approve)`, or nothing. */
export function scopeLabel(scope: ResourceScope): string {
  const environment = scope.environment !== undefined ? ` in ${scope.environment}` : "";
  const gates = scope.step && scope.step.gates.length > 0 ? `, after manual gate ${scope.step.gates.join(", ")}` : "";
  const step = scope.step ? ` (step ${scope.step.name}${gates})` : "";
  return `${environment}${step}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted by kind, namespace, name (then environment, step, group): the order is part of the output's determinism. */
export function sortResources(resources: Resource[]): Resource[] {
  return [...resources].sort(
    (x, y) =>
      compare(x.object.kind, y.object.kind) ||
      compare(x.object.metadata.namespace ?? "", y.object.metadata.namespace ?? "") ||
      compare(x.object.metadata.name, y.object.metadata.name) ||
      compare(identityOf(x.object, x), identityOf(y.object, y)),
  );
}
