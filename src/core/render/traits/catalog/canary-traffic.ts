import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";

interface CanaryTrafficProps {
  port: number[];
}

/** The revision KubeVela gives a component's first deployment: `<component>-v1`. */
export function firstRevision(component: string): string {
  return `${component}-v1`;
}

/**
 * The KubeVela istio addon's `canary-traffic` trait, as its TraitDefinition
 * (kubevela/catalog experimental/addons/istio/definitions/traffic-trait-def.yaml) renders it:
 * Service C (unnamed ports: Istio sniffs them), VirtualService C to C's first port and
 * DestinationRule C with one subset for the component's revision, the latter two
 * networking.istio.io/v1alpha3. `canary-rollout` workflow steps replace the two with their
 * weights (see canary-steps.ts). The revision is `context.revision`, which only the cluster
 * knows: it is rendered as the first one, `<component>-v1`.
 */
export const canaryTraffic = defineTrait<CanaryTrafficProps>({
  type: "canary-traffic",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["port"],
    properties: { port: { type: "array", items: PORT_NUMBER_SCHEMA } },
  },
  render({ props, component, emit, report }) {
    const [port] = props.port;
    // CUE's `[int]` is a list of exactly one port.
    if (port === undefined || props.port.length !== 1) {
      report("error", `port must list exactly one port: the definition declares \`port: [int]\`, and KubeVela refuses ${props.port.length} ports`, ["port"]);
      return;
    }
    const revision = firstRevision(component.name);
    emit({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: component.name, namespace: component.namespace },
      spec: { selector: { "app.oam.dev/component": component.name }, ports: [{ port, targetPort: port }], type: "ClusterIP" },
    });
    emit({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      metadata: { name: component.name, namespace: component.namespace },
      spec: { hosts: [component.name], http: [{ route: [{ destination: { host: component.name, port: { number: port } } }] }] },
    });
    emit({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "DestinationRule",
      metadata: { name: component.name, namespace: component.namespace },
      spec: { host: component.name, subsets: [{ name: revision, labels: { "service.istio.io/canonical-name": revision } }] },
    });
  },
});
