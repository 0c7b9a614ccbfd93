import type { JsonValue, Resource } from "../../types.js";
import { asArray, asStrings, at, bindsByTargetRef, policySelector, type Workload } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { actionOf, isSecurityResource, rulesOf, securityResources } from "./authorization-scope.js";

/**
 * RequestAuthentications whose workloads still accept requests without a token. Istio's
 * RequestAuthentication only rejects invalid tokens; a request with none passes, unless an
 * AuthorizationPolicy on the workload denies it (DENY `notRequestPrincipals`) or every ALLOW
 * rule that could admit it needs a request principal (`requestPrincipals`, or a
 * `request.auth.*` condition). The policies are resolved over the whole render, so removing
 * the DENY makes this fire on the unchanged RequestAuthentication.
 */
export const tokenNotRequired = defineTemplate<Record<string, never>>({
  name: "token-not-required",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check(input) {
    const { index } = input;
    const drafts: FindingDraft[] = [];
    for (const authentication of securityResources(index, "RequestAuthentication")) {
      if (bindsByTargetRef(authentication) || asArray(at(authentication.object.spec, "jwtRules")).length === 0) continue;
      const selected = index.selectedBy(authentication);
      // Workloads deployed elsewhere: judge a workload that carries exactly the selector's labels.
      const workloads = selected.length > 0 ? selected : [standIn(authentication)];
      for (const workload of workloads) {
        if (tokenRequired({ applying: index.policiesOn("AuthorizationPolicy", workload).filter(isSecurityResource), defaultDeny: input.config.mesh.defaultDeny })) continue;
        const known = selected.length > 0;
        // One finding per workload: a fix for one does not hide, or renew, another's.
        drafts.push({
          resource: authentication,
          key: known ? `workload/${workload.namespace}/${workload.name}` : "selector",
          values: {
            authentication: `${authentication.object.metadata.namespace ?? ""}/${authentication.object.metadata.name}`,
            workload: known ? `${workload.namespace}/${workload.name}` : `the workloads it selects in ${workload.namespace}`,
          },
        });
      }
    }
    return drafts;
  },
});

function standIn(authentication: Resource): Workload {
  return { namespace: authentication.object.metadata.namespace ?? "", name: authentication.object.metadata.name, labels: policySelector(authentication), annotations: {}, pod: {}, resource: authentication };
}

/** Whether the policies a workload enforces turn away requests without a token. */
function tokenRequired(params: { applying: Resource[]; defaultDeny: boolean }): boolean {
  const { applying, defaultDeny } = params;
  if (applying.some((p) => actionOf(p) === "DENY" && rulesOf(p).some(({ rule }) => deniesWithoutToken(rule)))) return true;
  const allows = applying.filter((p) => actionOf(p) === "ALLOW");
  // With no ALLOW policy, every request not denied is allowed, unless a default-deny is
  // enforced outside the repository: then nothing reaches the workload at all.
  if (allows.length === 0) return defaultDeny;
  return allows.every((p) => rulesOf(p).every(({ rule }) => needsToken(rule)));
}

/** A DENY rule that matches requests without a principal: a source with `notRequestPrincipals`. */
function deniesWithoutToken(rule: JsonValue): boolean {
  return asArray(at(rule, "from")).some((f) => asStrings(at(f, "source", "notRequestPrincipals")).length > 0);
}

/** An ALLOW rule that no request without a token matches. */
function needsToken(rule: JsonValue): boolean {
  const from = asArray(at(rule, "from"));
  if (from.length > 0 && from.every((f) => asStrings(at(f, "source", "requestPrincipals")).length > 0)) return true;
  return asArray(at(rule, "when")).some((condition) => {
    const key = at(condition, "key");
    return typeof key === "string" && key.startsWith("request.auth.") && asStrings(at(condition, "values")).length > 0;
  });
}
