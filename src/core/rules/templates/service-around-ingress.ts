import { stringMap, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface ServiceAroundIngressParams {
  /** Service types reachable from outside the cluster without the ingress gateway. */
  exposedTypes: string[];
  /** Pod labels that mark a gateway's own pods (which an exposed Service is meant to front). */
  gatewayLabels: string[];
}

/**
 * Services of type LoadBalancer or NodePort that select workloads of the render: the internet
 * (or every node's network) reaches those pods around the ingress gateway, so past its TLS,
 * its hosts and any policy bound to it. The gateway's own pods are the exception.
 */
export const serviceAroundIngress = defineTemplate<ServiceAroundIngressParams>({
  name: "service-around-ingress",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["exposedTypes", "gatewayLabels"],
    properties: {
      exposedTypes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
      gatewayLabels: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } },
    },
  },
  check({ index }, { exposedTypes, gatewayLabels }) {
    const drafts: FindingDraft[] = [];
    for (const service of index.services.values()) {
      const type = at(service.resource.object.spec, "type");
      if (typeof type !== "string" || !exposedTypes.includes(type)) continue;
      const workloads = index.workloadsMatching(service.namespace, stringMap(at(service.resource.object.spec, "selector"))).filter((w) => !gatewayLabels.some((l) => l in w.labels));
      if (workloads.length === 0) continue;
      drafts.push({
        resource: service.resource,
        key: "spec.type",
        value: { text: type },
        pointer: "/spec/type",
        values: { service: `${service.namespace}/${service.name}`, type, workloads: workloads.map((w) => `${w.resource.object.kind} ${w.namespace}/${w.name}`).join(", ") },
      });
    }
    return drafts;
  },
});
