import { identityOf } from "../render/identity.js";
import type { Resource } from "../types.js";

/**
 * The changed resources that change in their environment alone: the same object exists in
 * other environments of its Application and is unchanged there. Their notes say
 * "production only", so a reviewer sees that an override policy, not the component, moved.
 */
export function environmentsOnly(params: { base: readonly Resource[]; head: readonly Resource[]; changed: readonly Resource[] }): Map<Resource, string> {
  // Without the namespace: a topology policy moves each environment to its own namespace.
  const unscoped = (r: Resource): string => {
    const { apiVersion, kind, metadata } = r.object;
    return `${r.source.file}|${r.source.app ?? ""}|${identityOf({ apiVersion, kind, metadata: { name: metadata.name } }, r.step ? { step: r.step } : {})}`;
  };
  const present = new Map<string, Set<string>>();
  for (const r of [...params.base, ...params.head]) {
    if (r.environment === undefined) continue;
    const key = unscoped(r);
    present.set(key, (present.get(key) ?? new Set()).add(r.environment));
  }
  const changedIn = new Map<string, Set<string>>();
  for (const r of params.changed) {
    if (r.environment === undefined) continue;
    const key = unscoped(r);
    changedIn.set(key, (changedIn.get(key) ?? new Set()).add(r.environment));
  }
  const only = new Map<Resource, string>();
  for (const r of params.changed) {
    if (r.environment === undefined) continue;
    const key = unscoped(r);
    const envs = present.get(key);
    if (envs && envs.size > 1 && changedIn.get(key)?.size === 1) only.set(r, r.environment);
  }
  return only;
}
