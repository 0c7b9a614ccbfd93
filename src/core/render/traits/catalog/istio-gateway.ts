import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";

interface IstioGatewayProps {
  hosts: string[];
  gateway: string;
  match: { exact?: string; prefix?: string }[];
  port: number;
}

/**
 * The KubeVela istio addon's `istio-gateway` trait, as its TraitDefinition
 * (vela-templates/addons/istio/definitions/gateway-trait-def.yaml) renders it: Gateway C on the
 * gateway pods `istio: <gateway>` and VirtualService C, both networking.istio.io/v1alpha3. Its
 * known defect is kept, since it is what the cluster gets: the Gateway has one server, plain
 * HTTP on port 80, with no TLS and no redirect, whatever the hosts.
 */
export const istioGateway = defineTrait<IstioGatewayProps>({
  type: "istio-gateway",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["hosts", "port"],
    properties: {
      // CUE's `[string]` is a list of exactly one string.
      hosts: { type: "array", items: { type: "string", minLength: 1 } },
      gateway: { type: "string", default: "ingressgateway" },
      match: {
        type: "array",
        default: [],
        items: { type: "object", additionalProperties: false, properties: { exact: { type: "string" }, prefix: { type: "string" } } },
      },
      port: PORT_NUMBER_SCHEMA,
    },
  },
  render({ props, component, emit, report }) {
    if (props.hosts.length !== 1) {
      report("error", `hosts must list exactly one host: the definition declares \`hosts: [string]\`, and KubeVela refuses ${props.hosts.length} hosts`, ["hosts"]);
      return;
    }
    const both = props.match.findIndex((m) => m.exact !== undefined && m.prefix !== undefined);
    if (both >= 0) report("error", "a match gives both `exact` and `prefix`: Istio accepts one of them per uri match", ["match", both]);
    report("notice", `istio-gateway's Gateway ${component.name} serves plain HTTP on port 80 only (the definition renders no TLS server and no HTTPS redirect): hosts ${props.hosts.join(", ")} are served unencrypted`);
    emit({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "Gateway",
      metadata: { name: component.name, namespace: component.namespace },
      spec: { selector: { istio: props.gateway }, servers: [{ hosts: props.hosts, port: { name: "http", number: 80, protocol: "HTTP" } }] },
    });
    emit({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        gateways: [component.name],
        hosts: props.hosts,
        http: [{ match: props.match.map((uri) => ({ uri })), route: [{ destination: { host: component.name, port: { number: props.port } } }] }],
      },
    });
  },
});
