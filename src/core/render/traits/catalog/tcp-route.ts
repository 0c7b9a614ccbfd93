import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";
import { V1ALPHA2_DEFECT } from "./route-rules.js";

interface TcpRouteProps {
  rules: { gatewayPort: number; serviceName?: string; port: number; gatewayClassName: "traefik" | "istio" }[];
}

/**
 * The gateway-traits addon's `tcp-route` trait, as kubevela/catalog
 * experimental/addons/gateway-traits/definitions/tcp-route.cue renders it: per rule, Gateway
 * `C-gateway-tcp-<gatewayPort>` with one TCP listener for TCPRoutes of its namespace, and
 * TCPRoute `tcp-route-<gatewayPort>` (not named after the component) bound to it; both
 * gateway.networking.k8s.io/v1alpha2, which TCPRoute is still served at and Gateway is not.
 */
export const tcpRoute = defineTrait<TcpRouteProps>({
  type: "tcp-route",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["rules"],
    properties: {
      rules: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["port"],
          properties: {
            gatewayPort: { ...PORT_NUMBER_SCHEMA, default: 8060 },
            serviceName: { type: "string" },
            port: PORT_NUMBER_SCHEMA,
            gatewayClassName: { type: "string", enum: ["traefik", "istio"], default: "traefik" },
          },
        },
      },
    },
  },
  render({ props, component, emit, report }) {
    if (props.rules.length > 0) report("warning", V1ALPHA2_DEFECT);
    for (const rule of props.rules) {
      const gateway = `${component.name}-gateway-tcp-${rule.gatewayPort}`;
      const listener = `listener-tcp-${rule.gatewayPort}`;
      emit({
        apiVersion: "gateway.networking.k8s.io/v1alpha2",
        kind: "Gateway",
        metadata: { name: gateway, namespace: component.namespace },
        spec: {
          gatewayClassName: rule.gatewayClassName,
          listeners: [{ allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "TCPRoute", group: "gateway.networking.k8s.io" }] }, name: listener, port: rule.gatewayPort, protocol: "TCP" }],
        },
      });
      emit({
        apiVersion: "gateway.networking.k8s.io/v1alpha2",
        kind: "TCPRoute",
        metadata: { name: `tcp-route-${rule.gatewayPort}`, namespace: component.namespace },
        spec: { parentRefs: [{ name: gateway, namespace: component.namespace, sectionName: listener }], rules: [{ backendRefs: [{ name: rule.serviceName ?? component.name, port: rule.port }] }] },
      });
    }
  },
});
