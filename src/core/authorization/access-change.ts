import { asArray, at, type MeshIndex, type Workload } from "../rules/mesh-index.js";
import type { Resource } from "../types.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import { policyScope, scopeText } from "./policy-scope.js";
import { probeRequests } from "./probe-requests.js";
import { ruleMatches } from "./rule-matches.js";
import { policyAction, policyRules } from "./workload-access.js";
import { workloadPorts, type WorkloadPort } from "./workload-ports.js";

/** Where a change of access was seen: a workload of the render (or the targets a policy binds), and one request. */
export interface AccessWitness {
  /** `namespace/name` of the workload, or the policy's targets. */
  at: string;
  request: AuthorizationRequest;
}

/** What one policy's change does to the requests its workloads accept, other policies held as they are in the head. */
export interface AccessChange {
  /** Workloads of the render that the base or head version applies to (targets count as one). */
  workloads: number;
  /** A request now accepted that was rejected, and on how many workloads some such request exists. */
  admitted?: AccessWitness;
  admittedOn: number;
  rejected?: AccessWitness;
  rejectedOn: number;
  /** The request attributes some rule of the policies reads (what a witness is described by). */
  read: ReadonlySet<string>;
}

/**
 * Whether a workload's proxy lets a request through, as Istio decides it: any matching DENY
 * rejects; then, when ALLOW policies apply, one of their rules must match; with none, the
 * request passes unless a default-deny is enforced outside the repository. CUSTOM (an external
 * authorizer) and AUDIT decide nothing here.
 */
export function admits(params: { request: AuthorizationRequest; policies: readonly Resource[]; defaultDeny: boolean }): boolean {
  const { request, policies, defaultDeny } = params;
  const matches = (policy: Resource, action: "ALLOW" | "DENY"): boolean => policyRules(policy).some(({ rule }) => ruleMatches({ rule, action, request }));
  if (policies.some((p) => policyAction(p) === "DENY" && matches(p, "DENY"))) return false;
  const allows = policies.filter((p) => policyAction(p) === "ALLOW");
  if (allows.length === 0) return !defaultDeny;
  return allows.some((p) => matches(p, "ALLOW"));
}

function isAuthorizationPolicy(resource: Resource): boolean {
  return resource.object.kind === "AuthorizationPolicy" && resource.object.apiVersion.startsWith("security.istio.io/");
}

function bindsByTargetRef(policy: Resource | undefined): boolean {
  return policy !== undefined && (at(policy.object.spec, "targetRef") !== undefined || asArray(at(policy.object.spec, "targetRefs")).length > 0);
}

interface Site {
  /** The workloads (alike in ports and policies) this site stands for. */
  names: string[];
  ports: readonly WorkloadPort[];
  others: Resource[];
  base: boolean;
  head: boolean;
}

/**
 * Compares what the base and head versions of one AuthorizationPolicy let through, on every
 * workload of the head render that either version applies to (a policy bound by `targetRefs`
 * is compared where it points, with the other policies bound there). Each site is probed with
 * requests at every boundary its policies draw (probeRequests), so "widened" means a request
 * really passes now that did not, and "narrowed" the reverse; both can hold at once.
 */
export function accessChange(params: { before?: Resource; after?: Resource; index: MeshIndex; trustDomain: string; defaultDeny: boolean }): AccessChange {
  const { before, after, index, trustDomain, defaultDeny } = params;
  const own = (r: Resource): boolean => r.object === after?.object || r.object === before?.object;
  const sites: Site[] = [];
  const byKey = new Map<string, Site>();
  const addSite = (site: Site, key: string): void => {
    const existing = byKey.get(key);
    if (existing) {
      existing.names.push(...site.names);
      return;
    }
    byKey.set(key, site);
    sites.push(site);
  };

  let workloads: number;
  if (bindsByTargetRef(after) || bindsByTargetRef(before)) {
    const scope = scopeText(policyScope((after ?? before) as Resource, index.rootNamespace));
    const others = index.ofKind("AuthorizationPolicy").filter((p) => !own(p) && isAuthorizationPolicy(p) && bindsByTargetRef(p) && scopeText(policyScope(p, index.rootNamespace)) === scope);
    addSite({ names: [scope], ports: [], others, base: before !== undefined, head: after !== undefined }, scope);
    workloads = 1;
  } else {
    const selected = new Set<Workload>([...(before ? index.selectedBy(before) : []), ...(after ? index.selectedBy(after) : [])]);
    workloads = selected.size;
    for (const workload of selected) {
      const ports = workloadPorts(workload, index);
      const others = index.policiesOn("AuthorizationPolicy", workload).filter((p) => !own(p) && isAuthorizationPolicy(p));
      const site: Site = { names: [`${workload.namespace}/${workload.name}`], ports, others, base: before !== undefined && index.appliesTo(before, workload), head: after !== undefined && index.appliesTo(after, workload) };
      // Workloads alike in ports and policies answer alike: probe one of them.
      addSite(site, JSON.stringify([ports, others.map((o) => `${o.source.file}:${o.source.line}/${o.object.metadata.namespace ?? ""}/${o.object.metadata.name}`), site.base, site.head]));
    }
  }

  const change: AccessChange = { workloads, admittedOn: 0, rejectedOn: 0, read: new Set() };
  const read = new Set<string>();
  for (const site of sites) {
    const policies = [...site.others, ...(site.base && before ? [before] : []), ...(site.head && after ? [after] : [])];
    const probe = probeRequests({ rules: policies.filter(isAuthorizationPolicy).flatMap((p) => policyRules(p).map(({ rule }) => rule)), ports: site.ports, trustDomain });
    for (const name of probe.read) read.add(name);
    const baseSet = [...site.others, ...(site.base && before ? [before] : [])];
    const headSet = [...site.others, ...(site.head && after ? [after] : [])];
    let admitted: AuthorizationRequest | undefined;
    let rejected: AuthorizationRequest | undefined;
    for (const request of probe.requests) {
      if (admitted && rejected) break;
      const [was, is] = [admits({ request, policies: baseSet, defaultDeny }), admits({ request, policies: headSet, defaultDeny })];
      if (is && !was) admitted ??= request;
      if (was && !is) rejected ??= request;
    }
    const [first = ""] = site.names;
    if (admitted) {
      change.admittedOn += site.names.length;
      change.admitted ??= { at: first, request: admitted };
    }
    if (rejected) {
      change.rejectedOn += site.names.length;
      change.rejected ??= { at: first, request: rejected };
    }
  }
  return { ...change, read };
}
