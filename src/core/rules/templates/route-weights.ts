import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { networkingResources, routesOf } from "./traffic-routing.js";

interface RouteWeightsParams {
  /** The total the weights of a rule's several destinations must reach. */
  total: number;
}

/**
 * Routing rules (http, tcp, tls) with several destinations whose weights do not add up to the
 * total. Istio treats weights as relative, so a split of 90/5 silently becomes 95%/5%; a
 * missing weight among several destinations counts as 0. A single destination takes all the
 * traffic whatever its weight, and is never a finding.
 */
export const routeWeights = defineTemplate<RouteWeightsParams>({
  name: "route-weights",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["total"],
    properties: { total: { type: "integer", minimum: 1 } },
  },
  check({ index }, { total }) {
    const findings: FindingDraft[] = [];
    for (const virtualService of networkingResources(index, "VirtualService")) {
      for (const route of routesOf(virtualService)) {
        const entries = asArray(at(route.rule, "route"));
        if (entries.length < 2) continue;
        const weights = entries.map((entry) => {
          const weight = at(entry, "weight");
          return typeof weight === "number" ? weight : 0;
        });
        const sum = weights.reduce((a, b) => a + b, 0);
        if (sum === total) continue;
        const split = entries
          .map((entry, j) => {
            const subset = at(entry, "destination", "subset");
            const host = at(entry, "destination", "host");
            const name = typeof subset === "string" && subset !== "" ? subset : typeof host === "string" && host !== "" ? host : `route[${j}]`;
            return `${name}=${weights[j] ?? 0}`;
          })
          .join(", ");
        findings.push({
          resource: virtualService,
          key: route.key,
          pointer: `${route.pointer}/route`,
          values: { route: route.label, weights: split, sum, total },
        });
      }
    }
    return findings;
  },
});
