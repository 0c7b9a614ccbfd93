import { defineTrait, PORT_NUMBER_SCHEMA } from "../../trait.js";

interface ExposeProps {
  port?: number[];
  ports?: { port: number; name?: string; protocol: "TCP" | "UDP" | "SCTP"; nodePort?: number }[];
  annotations: Record<string, string>;
  matchLabels?: Record<string, string>;
  type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
}

/**
 * KubeVela's built-in `expose` trait, as vela-templates/definitions/internal/trait/expose.cue
 * renders it: Service C with ports named `port-<n>` (`port-<n>-udp` for another protocol) unless
 * named, so Istio must sniff their protocol; `ports` wins over the deprecated `port`; a
 * `nodePort` is kept only for type NodePort.
 */
export const expose = defineTrait<ExposeProps>({
  type: "expose",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      port: { type: "array", items: PORT_NUMBER_SCHEMA },
      ports: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["port"],
          properties: { port: PORT_NUMBER_SCHEMA, name: { type: "string" }, protocol: { type: "string", enum: ["TCP", "UDP", "SCTP"], default: "TCP" }, nodePort: PORT_NUMBER_SCHEMA },
        },
      },
      annotations: { type: "object", additionalProperties: { type: "string" }, default: {} },
      matchLabels: { type: "object", additionalProperties: { type: "string" } },
      type: { type: "string", enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"], default: "ClusterIP" },
    },
  },
  render({ props, component, emit, report }) {
    const ports = props.ports !== undefined
      ? props.ports.map((p) => ({
        port: p.port,
        targetPort: p.port,
        name: p.name ?? `port-${p.port}${p.protocol !== "TCP" ? `-${p.protocol.toLowerCase()}` : ""}`,
        ...(p.nodePort !== undefined && props.type === "NodePort" ? { nodePort: p.nodePort } : {}),
        protocol: p.protocol,
      }))
      : (props.port ?? []).map((p) => ({ name: `port-${p}`, port: p, targetPort: p }));
    if (ports.length === 0 && props.type !== "ExternalName") {
      report("error", "expose needs `ports` (or the deprecated `port`): Kubernetes rejects a Service without ports", []);
      return;
    }
    emit({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: component.name, namespace: component.namespace, annotations: props.annotations },
      spec: { selector: props.matchLabels ?? { "app.oam.dev/component": component.name }, ...(ports.length > 0 ? { ports } : {}), type: props.type },
    });
  },
});
