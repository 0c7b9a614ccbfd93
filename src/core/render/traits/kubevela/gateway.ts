import type { KubeObject } from "../../../types.js";
import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";

interface GatewayProps {
  domain?: string;
  http: Record<string, number>;
  class: string;
  classInSpec: boolean;
  secretName?: string;
  gatewayHost?: string;
  name?: string;
  pathType: "ImplementationSpecific" | "Prefix" | "Exact";
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  existingServiceName?: string;
}

/**
 * KubeVela's built-in `gateway` trait, as vela-templates/definitions/internal/trait/gateway.cue
 * (the defkit version with `name`, `pathType` and `existingServiceName`) renders it on a
 * cluster of Kubernetes 1.19 or later: Service `C[-name]` with ports named `port-<n>` (unless
 * `existingServiceName`), and Ingress `C[-name]`, class in the `kubernetes.io/ingress.class`
 * annotation (or `spec.ingressClassName` with `classInSpec`), TLS only with `secretName`.
 */
export const kubevelaGateway = defineTrait<GatewayProps>({
  type: "gateway",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["http"],
    properties: {
      domain: { type: "string" },
      http: { type: "object", minProperties: 1, additionalProperties: PORT_NUMBER_SCHEMA },
      class: { type: "string", default: "nginx" },
      classInSpec: { type: "boolean", default: false },
      secretName: { type: "string" },
      gatewayHost: { type: "string" },
      name: { type: "string" },
      pathType: { type: "string", enum: ["ImplementationSpecific", "Prefix", "Exact"], default: "ImplementationSpecific" },
      annotations: { type: "object", additionalProperties: { type: "string" } },
      labels: { type: "object", additionalProperties: { type: "string" } },
      existingServiceName: { type: "string" },
    },
  },
  render({ props, component, emit, report }) {
    if (props.secretName !== undefined && props.domain === undefined) {
      report("error", "`secretName` needs `domain`: the definition puts the domain in `tls.hosts`, and KubeVela fails to render it without one", ["secretName"]);
      return;
    }
    const suffix = props.name !== undefined ? `-${props.name}` : "";
    const serviceName = props.existingServiceName ?? `${component.name}${suffix}`;
    const paths = Object.entries(props.http);
    if (props.existingServiceName === undefined) {
      const ports = paths.map(([, port]) => port);
      const twice = ports.find((p, i) => ports.indexOf(p) !== i);
      if (twice !== undefined) report("error", `two paths go to port ${twice}: the Service would list the port twice, which Kubernetes rejects`, ["http"]);
      emit({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: serviceName, namespace: component.namespace },
        spec: {
          selector: { "app.oam.dev/component": component.name },
          ports: ports.map((port) => ({ name: `port-${port}`, port, targetPort: port })),
        },
      });
    }
    const annotations: Record<string, string> = {
      ...(!props.classInSpec ? { "kubernetes.io/ingress.class": props.class } : {}),
      ...(props.gatewayHost !== undefined ? { "ingress.controller/host": props.gatewayHost } : {}),
      ...props.annotations,
    };
    const ingress: KubeObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: `${component.name}${suffix}`, namespace: component.namespace, annotations, labels: { ...props.labels } },
      spec: {
        ...(props.classInSpec ? { ingressClassName: props.class } : {}),
        ...(props.secretName !== undefined && props.domain !== undefined ? { tls: [{ hosts: [props.domain], secretName: props.secretName }] } : {}),
        rules: [
          {
            ...(props.domain !== undefined ? { host: props.domain } : {}),
            http: { paths: paths.map(([path, port]) => ({ path, pathType: props.pathType, backend: { service: { name: serviceName, port: { number: port } } } })) },
          },
        ],
      },
    };
    emit(ingress);
  },
});
