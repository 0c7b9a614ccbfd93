import { PORT_NUMBER_SCHEMA } from "../../trait.js";
import type { JsonObject } from "../../../types.js";

/** The `rules` of the gateway-traits addon's http-route and https-route traits. */
export interface RouteRuleProps {
  path?: { type: "PathPrefix" | "Exact"; value: string };
  headers?: { type: "Exact"; name: string; value: string }[];
  serviceName?: string;
  port: number;
}

export const routeRulesSchema = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["port"],
    properties: {
      path: {
        type: "object",
        additionalProperties: false,
        properties: { type: { type: "string", enum: ["PathPrefix", "Exact"], default: "PathPrefix" }, value: { type: "string", default: "/" } },
      },
      headers: {
        type: "array",
        items: { type: "object", additionalProperties: false, required: ["type", "name", "value"], properties: { type: { const: "Exact" }, name: { type: "string" }, value: { type: "string" } } },
      },
      serviceName: { type: "string" },
      port: PORT_NUMBER_SCHEMA,
    },
  },
} as const;

/** One HTTPRoute rule per entry: a single match of its path and headers, to one backend. */
export function routeRules(rules: readonly RouteRuleProps[], component: string): JsonObject[] {
  return rules.map((rule) => ({
    matches: [{ ...(rule.path ? { path: rule.path } : {}), ...(rule.headers ? { headers: rule.headers } : {}) }],
    backendRefs: [{ name: rule.serviceName ?? component, port: rule.port }],
  }));
}

/** Said once per trait: the cluster refuses what the definition renders. */
export const V1ALPHA2_DEFECT = "the gateway-traits definitions emit gateway.networking.k8s.io/v1alpha2 objects, which current Gateway API releases no longer serve for HTTPRoute and Gateway: the cluster refuses them";
