import { policyScope } from "../../authorization/policy-scope.js";
import { asObject, asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { stableKey } from "../stable-key.js";
import { actionOf, pointerSegment, rulesOf, securityResources } from "./authorization-scope.js";

interface NegativeAllowMatchParams {
  /** The negative match fields, as they appear in a source, an operation or a condition. */
  fields: string[];
}

/**
 * ALLOW rules that match by exclusion (`notPaths`, `notPrincipals`, …): they allow everything
 * but what they list, so every path, caller or method nobody thought of is allowed too. Keyed
 * by the rule's and the clause's content, not their positions: removing an earlier rule leaves
 * the finding as it was.
 */
export const negativeAllowMatch = defineTemplate<NegativeAllowMatchParams>({
  name: "negative-allow-match",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["fields"],
    properties: { fields: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^not[A-Z][A-Za-z]*$" } } },
  },
  check({ index }, { fields }) {
    const drafts: FindingDraft[] = [];
    for (const policy of securityResources(index, "AuthorizationPolicy")) {
      if (actionOf(policy) !== "ALLOW") continue;
      const name = `${policy.object.metadata.namespace ?? ""}/${policy.object.metadata.name}`;
      const scope = policyScope(policy, index.rootNamespace);
      for (const { rule, index: i } of rulesOf(policy)) {
        const ruleKey = `rule/${stableKey(rule)}`;
        const clauses = [
          ...asArray(at(rule, "from")).map((f, j) => ({ path: `rules/${i}/from/${j}/source`, key: `${ruleKey}/from/${stableKey(at(f, "source"))}`, clause: at(f, "source") })),
          ...asArray(at(rule, "to")).map((t, j) => ({ path: `rules/${i}/to/${j}/operation`, key: `${ruleKey}/to/${stableKey(at(t, "operation"))}`, clause: at(t, "operation") })),
          ...asArray(at(rule, "when")).map((w, j) => ({ path: `rules/${i}/when/${j}`, key: `${ruleKey}/when/${stableKey(w)}`, clause: w })),
        ];
        for (const { path, key, clause } of clauses) {
          for (const [field, value] of Object.entries(asObject(clause))) {
            if (!fields.includes(field) || asArray(value).length === 0) continue;
            drafts.push({
              resource: policy,
              key: `${key}/${field}`,
              scope,
              pointer: `/spec/${path}/${pointerSegment(field)}`,
              values: { policy: name, rule: i, field },
            });
          }
        }
      }
    }
    return drafts;
  },
});
