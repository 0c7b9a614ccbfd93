import type { Resource } from "../../types.js";
import { asArray, at, asStrings, type Workload } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { ingressRoutes } from "./ingress-routes.js";

/**
 * Workloads that an ingress gateway routes to and that nothing guards: no ALLOW
 * AuthorizationPolicy applies to them (any ALLOW, an allow-nothing one included, makes the
 * workload deny what it does not match) and no DENY policy requires a token
 * (`notRequestPrincipals: ["*"]`). A default-deny enforced outside the repository (config
 * `mesh.defaultDeny`) is an ALLOW policy that applies to every workload.
 */
export const ingressWorkloadProtection = defineTemplate<Record<string, never>>({
  name: "ingress-workload-protection",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    if (config.mesh.defaultDeny) return [];
    const guarded = new Map<Workload, boolean>();
    const drafts: FindingDraft[] = [];
    for (const route of ingressRoutes(index)) {
      const { workload } = route;
      let isGuarded = guarded.get(workload);
      if (isGuarded === undefined) {
        isGuarded = index.policiesOn("AuthorizationPolicy", workload).some(guards);
        guarded.set(workload, isGuarded);
      }
      if (isGuarded) continue;
      const { namespace = "", name } = route.virtualService.object.metadata;
      drafts.push({
        resource: workload.resource,
        key: "ingress-reachable",
        values: { workload: `${workload.namespace}/${workload.name}`, virtualService: `${namespace}/${name}`, host: route.host, gateways: route.gateways.join(", ") },
      });
    }
    return drafts;
  },
});

/** An ALLOW policy, or a DENY policy that turns away requests without a token. */
function guards(policy: Resource): boolean {
  const action = at(policy.object.spec, "action") ?? "ALLOW";
  if (action === "ALLOW") return true;
  if (action !== "DENY") return false;
  return asArray(at(policy.object.spec, "rules")).some((rule) =>
    asArray(at(rule, "from")).some((from) => asStrings(at(from, "source", "notRequestPrincipals")).includes("*")),
  );
}
