import { workloadAccess } from "../../authorization/workload-access.js";
import type { Workload } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { ingressRoutes } from "./ingress-routes.js";

/**
 * Workloads that an ingress gateway routes to and that nothing guards, as Istio evaluates the
 * policies on them: every caller gets in (no ALLOW policy applies, or one of its rules matches
 * every request) and no policy turns away requests without a token on every HTTP port (a DENY
 * narrowed by `to`, `when` or other sources does not). A default-deny enforced outside the
 * repository (config `mesh.defaultDeny`) is an ALLOW policy that applies to every workload.
 */
export const ingressWorkloadProtection = defineTemplate<Record<string, never>>({
  name: "ingress-workload-protection",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    const guarded = new Map<Workload, boolean>();
    const drafts: FindingDraft[] = [];
    for (const route of ingressRoutes(index)) {
      const { workload } = route;
      let isGuarded = guarded.get(workload);
      if (isGuarded === undefined) {
        const access = workloadAccess({ workload, index, trustDomain: config.mesh.trustDomain, defaultDeny: config.mesh.defaultDeny });
        isGuarded = !access.open || access.tokenRequired;
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
