import type { JsonObject, JsonValue } from "../../types.js";
import { at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { networkingResources, routesOf } from "./traffic-routing.js";

interface RouteResilienceParams {
  /** The fields every HTTP route must set explicitly. */
  fields: string[];
  /**
   * Route fields that exempt a route: where Istio ignores the required fields (a `fault`
   * disables timeout and retries) or no upstream request is made (`redirect`,
   * `directResponse`), or the routes live elsewhere (`delegate`: the delegate's routes are judged).
   */
  exemptWith: string[];
}

/** HTTP routes that leave a resilience field (timeout, retries) to Istio's default. One finding per route and field. */
export const routeResilience = defineTemplate<RouteResilienceParams>({
  name: "route-resilience",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["fields", "exemptWith"],
    properties: {
      fields: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["timeout", "retries"] } },
      exemptWith: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } },
    },
  },
  check({ index }, { fields, exemptWith }) {
    const findings: FindingDraft[] = [];
    for (const virtualService of networkingResources(index, "VirtualService")) {
      for (const route of routesOf(virtualService)) {
        if (route.section !== "http" || !isObject(route.rule)) continue;
        const rule = route.rule;
        if (exemptWith.some((field) => isSet(rule[field]))) continue;
        // A missing field has no line of its own: point at a sibling the route does set (the
        // http-resilience trait that set it is where the missing one belongs), else at the field.
        const present = fields.find((field) => isSet(at(rule, field)));
        for (const field of fields) {
          if (isSet(at(rule, field))) continue;
          findings.push({ resource: virtualService, key: `${route.key}/${field}`, pointer: `${route.pointer}/${present ?? field}`, values: { route: route.label, field } });
        }
      }
    }
    return findings;
  },
});

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `timeout:` with no value is YAML null: as good as absent. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}
