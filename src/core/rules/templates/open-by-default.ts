import { bindsByTargetRef, isSelectorless } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { actionOf, isAllowNothing, isSecurityResource, securityResources } from "./authorization-scope.js";

/**
 * Workloads that accept every request because nothing denies by default: their namespace has
 * no allow-nothing policy (selector-less, in the namespace or the root namespace) and no ALLOW
 * policy selects them. Istio allows all traffic to a workload that no ALLOW policy applies to.
 * Skipped entirely when the config says a default-deny is enforced outside the repository.
 */
export const openByDefault = defineTemplate<Record<string, never>>({
  name: "open-by-default",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    if (config.mesh.defaultDeny) return [];
    const policies = securityResources(index, "AuthorizationPolicy");
    const allows = policies.filter((p) => actionOf(p) === "ALLOW" && !bindsByTargetRef(p));
    const defaultDeny = new Set<string>();
    for (const policy of allows) {
      if (!isAllowNothing(policy) || !isSelectorless(policy)) continue;
      const namespace = policy.object.metadata.namespace ?? "";
      if (namespace === index.rootNamespace) return [];
      defaultDeny.add(namespace);
    }
    const drafts: FindingDraft[] = [];
    for (const workload of index.workloads) {
      if (defaultDeny.has(workload.namespace)) continue;
      if (index.policiesOn("AuthorizationPolicy", workload).some((p) => isSecurityResource(p) && actionOf(p) === "ALLOW")) continue;
      drafts.push({
        resource: workload.resource,
        key: "no-allow-policy",
        values: { workload: `${workload.namespace}/${workload.name}`, kind: workload.resource.object.kind, namespace: workload.namespace },
      });
    }
    return drafts;
  },
});
