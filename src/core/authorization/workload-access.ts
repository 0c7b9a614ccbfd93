import { asArray, at, type MeshIndex, type Workload } from "../rules/mesh-index.js";
import type { JsonValue, Resource } from "../types.js";
import { ruleReach } from "./rule-reach.js";
import type { AuthorizationAction } from "./rule-matches.js";
import { workloadPorts, type WorkloadPort } from "./workload-ports.js";

/** An AuthorizationPolicy's action: Istio's default is ALLOW. */
export function policyAction(policy: Resource): AuthorizationAction {
  const action = at(policy.object.spec, "action");
  return action === "DENY" || action === "AUDIT" || action === "CUSTOM" ? action : "ALLOW";
}

export function policyRules(policy: Resource): { rule: JsonValue; index: number }[] {
  return asArray(at(policy.object.spec, "rules")).map((rule, index) => ({ rule: rule ?? {}, index }));
}

/** What the AuthorizationPolicies on one workload let in, as Istio enforces them. */
export interface WorkloadAccess {
  ports: WorkloadPort[];
  /** The ALLOW policies that apply (an allow-nothing among them). */
  allows: Resource[];
  /** Why every caller gets in: no ALLOW policy applies, or one of their rules matches every request. */
  open?: { reason: "no-allow-policy" } | { reason: "allow-all-rule"; policy: Resource; rule: number };
  /** Every request without a token is rejected on every HTTP port. */
  tokenRequired: boolean;
}

/**
 * Resolves the AuthorizationPolicies of the render on a workload. `defaultDeny` is a default-deny
 * enforced outside the repository (config `mesh.defaultDeny`): an ALLOW policy that applies to
 * every workload and matches nothing.
 */
export function workloadAccess(params: { workload: Workload; index: MeshIndex; trustDomain: string; defaultDeny: boolean }): WorkloadAccess {
  const { workload, index, trustDomain, defaultDeny } = params;
  // Several rules ask of the same workload in one render: resolve it once (the answer is
  // shared, so callers only read it).
  const byWorkload = accessCaches.get(index) ?? new WeakMap<Workload, Map<string, WorkloadAccess>>();
  accessCaches.set(index, byWorkload);
  const cache = byWorkload.get(workload) ?? new Map<string, WorkloadAccess>();
  byWorkload.set(workload, cache);
  const key = JSON.stringify([trustDomain, defaultDeny]);
  const cached = cache.get(key);
  if (cached) return cached;
  const access = resolveAccess(params);
  cache.set(key, access);
  return access;
}

const accessCaches = new WeakMap<MeshIndex, WeakMap<Workload, Map<string, WorkloadAccess>>>();

function resolveAccess(params: { workload: Workload; index: MeshIndex; trustDomain: string; defaultDeny: boolean }): WorkloadAccess {
  const { workload, index, trustDomain, defaultDeny } = params;
  const ports = workloadPorts(workload, index);
  const policies = index.policiesOn("AuthorizationPolicy", workload).filter((p) => p.object.apiVersion.startsWith("security.istio.io/"));
  const allows = policies.filter((p) => policyAction(p) === "ALLOW");
  const httpPorts = ports.filter((p) => p.protocol === "http").map((p) => p.port);
  const httpContext = { trustDomain, ports: httpPorts, protocol: "http" as const };

  let open: WorkloadAccess["open"];
  if (allows.length === 0 && !defaultDeny) open = { reason: "no-allow-policy" };
  for (const policy of allows) {
    if (open) break;
    const hit = policyRules(policy).find(({ rule }) => ruleReach({ rule, action: "ALLOW", context: httpContext }).everyRequest);
    if (hit) open = { reason: "allow-all-rule", policy, rule: hit.index };
  }

  const denies = policies.filter((p) => policyAction(p) === "DENY");
  const denied = denies.some((p) => policyRules(p).some(({ rule }) => ruleReach({ rule, action: "DENY", context: httpContext }).everyTokenless));
  const allowsNeedToken = allows.length > 0 ? allows.every((p) => policyRules(p).every(({ rule }) => ruleReach({ rule, action: "ALLOW", context: httpContext }).needsToken)) : defaultDeny;
  return { ports, allows, ...(open ? { open } : {}), tokenRequired: denied || allowsNeedToken };
}
