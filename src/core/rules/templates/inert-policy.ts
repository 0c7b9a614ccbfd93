import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { kindById } from "../../kinds.js";
import { selectsNoWorkload } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface InertPolicyParams {
  /** The policy kinds (registry ids) whose selector is checked. */
  kinds: string[];
}

/**
 * Policies whose selector matches no workload of the render: they protect nothing, whatever
 * their text says (often a label renamed on the workload, or a typo in the selector). A
 * selector-less policy covers its namespace and one bound by `targetRefs` is enforced where it
 * points: neither is judged here.
 */
export const inertPolicy = defineTemplate<InertPolicyParams>({
  name: "inert-policy",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["kinds"],
    properties: { kinds: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } } },
  },
  check({ index }, { kinds }) {
    const drafts: FindingDraft[] = [];
    for (const kind of kinds) {
      const path = kindById(kind)?.selects?.selector ?? ["spec", "selector", "matchLabels"];
      for (const policy of index.ofKind(kind)) {
        if (!selectsNoWorkload(policy, index)) continue;
        const scope = policyScope(policy, index.rootNamespace);
        drafts.push({
          resource: policy,
          key: "selector",
          scope,
          pointer: `/${path.join("/")}`,
          values: { kind: policy.object.kind, policy: `${policy.object.metadata.namespace ?? ""}/${policy.object.metadata.name}`, scope: scopeText(scope) },
        });
      }
    }
    return drafts;
  },
});
