import type { KubeObject, Resource } from "../types.js";

/**
 * `group/kind/namespace/name`: the API group, not the version, so a resource moved from
 * v1beta1 to v1 is the same resource. The core group is spelt `core`.
 */
export function identityOf(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): string {
  const group = object.apiVersion.includes("/") ? (object.apiVersion.split("/")[0] ?? "") : "core";
  return `${group}/${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted by kind, namespace, name (then group): the order is part of the output's determinism. */
export function sortResources(resources: Resource[]): Resource[] {
  return [...resources].sort(
    (x, y) =>
      compare(x.object.kind, y.object.kind) ||
      compare(x.object.metadata.namespace ?? "", y.object.metadata.namespace ?? "") ||
      compare(x.object.metadata.name, y.object.metadata.name) ||
      compare(identityOf(x.object), identityOf(y.object)),
  );
}
