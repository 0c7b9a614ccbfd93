import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";
import { routeRules, routeRulesSchema, V1ALPHA2_DEFECT, type RouteRuleProps } from "./route-rules.js";

interface HttpsRouteProps {
  domains: string[];
  TLSPort: number;
  gatewayClassName: "traefik" | "istio";
  secrets: { name: string; namespace?: string }[];
  rules: RouteRuleProps[];
}

/**
 * The gateway-traits addon's `https-route` trait, as kubevela/catalog
 * experimental/addons/gateway-traits/definitions/https-route.cue renders it: Gateway
 * `C-gateway-tls` with one HTTPS listener per secret on TLSPort (8443), no hostname, and
 * HTTPRoute `C-ssl` bound to it; both gateway.networking.k8s.io/v1alpha2.
 */
export const httpsRoute = defineTrait<HttpsRouteProps>({
  type: "https-route",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["rules", "secrets"],
    properties: {
      domains: { type: "array", items: { type: "string" }, default: [] },
      TLSPort: { ...PORT_NUMBER_SCHEMA, default: 8443 },
      gatewayClassName: { type: "string", enum: ["traefik", "istio"], default: "traefik" },
      secrets: { type: "array", items: { type: "object", additionalProperties: false, required: ["name"], properties: { name: { type: "string" }, namespace: { type: "string" } } } },
      rules: routeRulesSchema,
    },
  },
  render({ props, component, emit, report }) {
    report("warning", V1ALPHA2_DEFECT);
    const gateway = `${component.name}-gateway-tls`;
    emit({
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "Gateway",
      metadata: { name: gateway, namespace: component.namespace },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: props.secrets.map((secret) => ({
          name: secret.name,
          protocol: "HTTPS",
          port: props.TLSPort,
          tls: { certificateRefs: [{ kind: "Secret", name: secret.name, namespace: secret.namespace ?? component.namespace }] },
        })),
      },
    });
    emit({
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "HTTPRoute",
      metadata: { name: `${component.name}-ssl`, namespace: component.namespace },
      spec: {
        parentRefs: [{ name: gateway, namespace: component.namespace, port: props.TLSPort }],
        hostnames: props.domains,
        rules: routeRules(props.rules, component.name),
      },
    });
  },
});
