import { defineTrait } from "../../trait.js";
import { routeRules, routeRulesSchema, V1ALPHA2_DEFECT, type RouteRuleProps } from "./route-rules.js";

interface HttpRouteProps {
  domains: string[];
  rules: RouteRuleProps[];
  gatewayName: "traefik" | "istio";
  gatewayNamespace: string;
  listenerName: string;
}

/**
 * The gateway-traits addon's `http-route` trait, as kubevela/catalog
 * experimental/addons/gateway-traits/definitions/http-route.cue renders it: HTTPRoute C at
 * gateway.networking.k8s.io/v1alpha2 (a version the kinds registry does not serve, so it is
 * an error), bound to listener `web` of Gateway vela-system/traefik unless told otherwise.
 */
export const httpRoute = defineTrait<HttpRouteProps>({
  type: "http-route",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["rules"],
    properties: {
      domains: { type: "array", items: { type: "string" }, default: [] },
      rules: routeRulesSchema,
      gatewayName: { type: "string", enum: ["traefik", "istio"], default: "traefik" },
      gatewayNamespace: { type: "string", default: "vela-system" },
      listenerName: { type: "string", default: "web" },
    },
  },
  render({ props, component, emit, report }) {
    report("warning", V1ALPHA2_DEFECT);
    emit({
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "HTTPRoute",
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        parentRefs: [{ name: props.gatewayName, namespace: props.gatewayNamespace, sectionName: props.listenerName }],
        hostnames: props.domains,
        rules: routeRules(props.rules, component.name),
      },
    });
  },
});
