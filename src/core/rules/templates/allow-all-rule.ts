import type { JsonValue } from "../../types.js";
import { asArray, asObject, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { actionOf, rulesOf, securityResources } from "./authorization-scope.js";

interface AllowAllRuleParams {
  /** Values that match anything in their field: `*`, and the whole-address-space CIDRs. */
  wildcards: string[];
}

/**
 * ALLOW rules that match every request. A rule matches when all of its `from`, `to` and `when`
 * match; a `from` matches when any of its sources does. So a rule allows everything when it has
 * no `when`, and its `from` (if any) has a source made only of wildcards, and its `to` (if any)
 * an operation made only of wildcards: an empty rule `{}`, `principals: ["*"]`,
 * `namespaces: ["*"]`, `paths: ["*"]`… A `not*` field, or any other value, restricts it.
 */
export const allowAllRule = defineTemplate<AllowAllRuleParams>({
  name: "allow-all-rule",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["wildcards"],
    properties: { wildcards: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } } },
  },
  check({ index }, { wildcards }) {
    const wildcard = new Set(wildcards);
    const onlyWildcards = (clause: JsonValue | undefined): boolean =>
      Object.entries(asObject(clause)).every(([field, value]) => {
        const values = asArray(value);
        if (field.startsWith("not")) return values.length === 0;
        return values.every((v) => typeof v === "string" && wildcard.has(v));
      });
    const drafts: FindingDraft[] = [];
    for (const policy of securityResources(index, "AuthorizationPolicy")) {
      if (actionOf(policy) !== "ALLOW") continue;
      for (const { rule, index: i } of rulesOf(policy)) {
        if (rule === null || typeof rule !== "object" || Array.isArray(rule)) continue;
        if (asArray(at(rule, "when")).length > 0) continue;
        const from = asArray(at(rule, "from"));
        const to = asArray(at(rule, "to"));
        if (from.length > 0 && !from.some((f) => onlyWildcards(at(f, "source")))) continue;
        if (to.length > 0 && !to.some((t) => onlyWildcards(at(t, "operation")))) continue;
        drafts.push({
          resource: policy,
          key: `rules/${i}`,
          pointer: `/spec/rules/${i}`,
          values: {
            policy: `${policy.object.metadata.namespace ?? ""}/${policy.object.metadata.name}`,
            rule: i,
            reason: from.length === 0 && to.length === 0 ? "it is empty" : "its sources and operations are only wildcards",
          },
        });
      }
    }
    return drafts;
  },
});
