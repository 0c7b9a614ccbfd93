import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";

interface PureIngressProps {
  domain: string;
  http: Record<string, number>;
}

/**
 * KubeVela's deprecated `pure-ingress` trait, as vela-templates/definitions/internal/trait/pure-ingress.cue
 * renders it on Kubernetes 1.19 or later: Ingress C, no class and no TLS, to a Service C it does
 * not create.
 */
export const pureIngress = defineTrait<PureIngressProps>({
  type: "pure-ingress",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["domain", "http"],
    properties: { domain: { type: "string" }, http: { type: "object", minProperties: 1, additionalProperties: PORT_NUMBER_SCHEMA } },
  },
  render({ props, component, emit }) {
    emit({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        rules: [
          {
            host: props.domain,
            http: { paths: Object.entries(props.http).map(([path, port]) => ({ path, pathType: "ImplementationSpecific", backend: { service: { name: component.name, port: { number: port } } } })) },
          },
        ],
      },
    });
  },
});
