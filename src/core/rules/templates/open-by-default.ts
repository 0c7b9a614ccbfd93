import { workloadAccess } from "../../authorization/workload-access.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

/**
 * Workloads that accept every caller: no ALLOW policy applies to them (no default-deny in their
 * namespace or the root namespace, none selecting them), or one that applies has a rule that
 * matches every request, which undoes the default-deny beside it. A workload that serves no
 * port (a worker without Service or container port) takes no requests, so needs none. Skipped
 * when the config says a default-deny is enforced outside the repository, unless a rule of the
 * repository matches every request anyway.
 */
export const openByDefault = defineTemplate<Record<string, never>>({
  name: "open-by-default",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    const drafts: FindingDraft[] = [];
    for (const workload of index.workloads) {
      const access = workloadAccess({ workload, index, trustDomain: config.mesh.trustDomain, defaultDeny: config.mesh.defaultDeny });
      if (!access.open || access.ports.length === 0) continue;
      const open = access.open;
      const reason =
        open.reason === "no-allow-policy"
          ? `no ALLOW policy applies to it and namespace ${workload.namespace} has no default-deny`
          : `rule ${open.rule} of ALLOW policy ${open.policy.object.metadata.namespace ?? ""}/${open.policy.object.metadata.name} matches every request`;
      drafts.push({
        resource: workload.resource,
        key: "open-to-every-caller",
        value: { text: open.reason === "no-allow-policy" ? "no ALLOW policy" : `allow-all rule in ${open.policy.object.metadata.namespace ?? ""}/${open.policy.object.metadata.name}` },
        values: { workload: `${workload.namespace}/${workload.name}`, kind: workload.resource.object.kind, namespace: workload.namespace, reason },
      });
    }
    return drafts;
  },
});
