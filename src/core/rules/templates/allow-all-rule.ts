import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { ruleReach } from "../../authorization/rule-reach.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { stableKey } from "../stable-key.js";
import { actionOf, rulesOf, securityResources } from "./authorization-scope.js";

/**
 * ALLOW rules that match every request any caller can send, judged by Istio's matching rather
 * than by the literal `*`: `paths: ["/*"]`, `principals: ["cluster.local/*"]`, `ipBlocks` that
 * add up to the whole address space, a `when` wildcard on a header the caller writes, or an
 * empty rule. A rule that needs a token (`requestPrincipals: ["*"]`, Istio's way of requiring
 * a JWT) or that any `not…` field restricts does not allow everything.
 */
export const allowAllRule = defineTemplate<Record<string, never>>({
  name: "allow-all-rule",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    const drafts: FindingDraft[] = [];
    const context = { trustDomain: config.mesh.trustDomain, ports: [], protocol: "http" as const };
    for (const policy of securityResources(index, "AuthorizationPolicy")) {
      if (actionOf(policy) !== "ALLOW") continue;
      const scope = policyScope(policy, index.rootNamespace);
      for (const { rule, index: i } of rulesOf(policy)) {
        if (rule === null || typeof rule !== "object" || Array.isArray(rule)) continue;
        if (!ruleReach({ rule, action: "ALLOW", context }).everyRequest) continue;
        const empty = Object.keys(rule).every((k) => !Array.isArray(rule[k]) || (rule[k] as unknown[]).length === 0);
        drafts.push({
          resource: policy,
          // By content, not position: removing or reordering other rules keeps this finding's key.
          key: `rule/${stableKey(rule)}`,
          scope,
          pointer: `/spec/rules/${i}`,
          values: {
            policy: `${policy.object.metadata.namespace ?? ""}/${policy.object.metadata.name}`,
            rule: i,
            reason: empty ? "it is empty" : "its sources, operations and conditions match every caller, path and method",
            scope: scopeText(scope),
          },
        });
      }
    }
    return drafts;
  },
});
