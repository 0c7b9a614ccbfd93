import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { workloadAccess } from "../../authorization/workload-access.js";
import type { Resource } from "../../types.js";
import { asArray, at, bindsByTargetRef, policySelector, type Workload } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { securityResources } from "./authorization-scope.js";

/**
 * RequestAuthentications whose workloads still accept requests without a token. Istio's
 * RequestAuthentication only rejects invalid tokens; a request with none passes, unless the
 * AuthorizationPolicies on the workload really reject it on every HTTP port: a DENY rule that
 * matches every tokenless request (a `notRequestPrincipals` source not narrowed by `to`, `when`
 * or other fields), or ALLOW policies every rule of which needs a token. Policies are resolved
 * over the whole render, so removing the DENY fires this on the unchanged RequestAuthentication.
 */
export const tokenNotRequired = defineTemplate<Record<string, never>>({
  name: "token-not-required",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check(input) {
    const { index, config } = input;
    const drafts: FindingDraft[] = [];
    for (const authentication of securityResources(index, "RequestAuthentication")) {
      if (bindsByTargetRef(authentication) || asArray(at(authentication.object.spec, "jwtRules")).length === 0) continue;
      const scope = policyScope(authentication, index.rootNamespace);
      const selected = index.selectedBy(authentication);
      // Workloads deployed elsewhere: judge a workload that carries exactly the selector's labels.
      const workloads = selected.length > 0 ? selected : [standIn(authentication)];
      for (const workload of workloads) {
        if (workloadAccess({ workload, index, trustDomain: config.mesh.trustDomain, defaultDeny: config.mesh.defaultDeny }).tokenRequired) continue;
        const known = selected.length > 0;
        // In the root namespace a RequestAuthentication is mesh-wide: say so beside a workload of
        // another namespace, where the policy's own namespace would read as its scope.
        const reach = scope.kind === "mesh" || (scope.kind === "selector" && scope.namespace === "*") ? ` (mesh-wide: it is in the root namespace ${index.rootNamespace})` : "";
        // One finding per workload: a fix for one does not hide, or renew, another's.
        drafts.push({
          resource: authentication,
          key: known ? `workload/${workload.namespace}/${workload.name}` : "selector",
          scope,
          values: {
            authentication: `${authentication.object.metadata.namespace ?? ""}/${authentication.object.metadata.name}`,
            workload: known ? `${workload.namespace}/${workload.name}${reach}` : `the ${scopeText(scope).replace(/^every workload/, "workloads")} (none in this repository)`,
          },
        });
      }
    }
    return drafts;
  },
});

function standIn(authentication: Resource): Workload {
  return { kind: authentication.object.kind, namespace: authentication.object.metadata.namespace ?? "", name: authentication.object.metadata.name, labels: policySelector(authentication), annotations: {}, pod: {}, resource: authentication };
}
