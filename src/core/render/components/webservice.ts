import { PORT_NUMBER_SCHEMA } from "../trait.js";
import { Service } from "kubernetes-models/v1/Service";
import type { KubeObject } from "../../types.js";
import { defineComponent } from "../component.js";
import type { AppProtocol, PortInfo } from "../trait.js";
import { renderWorkload, workloadProperties, type WorkloadProps } from "./workload.js";

interface WebserviceProps extends WorkloadProps {
  port?: number;
  ports?: { port: number; name?: string; protocol: PortInfo["protocol"]; appProtocol: AppProtocol; expose: boolean }[];
  exposeType: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
}

export const webservice = defineComponent<WebserviceProps>({
  type: "webservice",
  schema: {
    type: "object",
    required: ["image"],
    properties: {
      ...workloadProperties,
      port: PORT_NUMBER_SCHEMA,
      ports: {
        type: "array",
        items: {
          type: "object",
          required: ["port"],
          properties: {
            port: PORT_NUMBER_SCHEMA,
            name: { type: "string" },
            protocol: { type: "string", enum: ["TCP", "UDP", "SCTP"], default: "TCP" },
            appProtocol: { type: "string", enum: ["http", "http2", "grpc", "tcp", "tls"], default: "http" },
            expose: { type: "boolean", default: false },
          },
        },
      },
      exposeType: { type: "string", enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"], default: "ClusterIP" },
    },
  },
  render({ props, component, emit, report }) {
    const ports: PortInfo[] = (props.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol, appProtocol: p.appProtocol }));
    if (props.port !== undefined) {
      if (props.ports !== undefined) report("warning", "both `port` and `ports` are set: `port` is ignored, as KubeVela does", ["port"]);
      else ports.push({ port: props.port, protocol: "TCP", appProtocol: "http" });
    }
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      const key = `${p.port}/${p.protocol}`;
      if (seen.has(key)) report("error", `port ${key} is listed twice`, ["ports", i]);
      seen.add(key);
    });
    for (const object of renderWorkload(component, props, ports)) emit(object);
    const exposed = (props.ports ?? []).filter((p) => p.expose);
    if (exposed.length > 0) {
      // KubeVela's webservice (vela-templates/definitions/internal/component/webservice.cue):
      // Service C of the exposed ports only, named `port-<n>` unless named (so Istio sniffs
      // them), of type exposeType, and without their protocol.
      emit({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: component.name, namespace: component.namespace },
        spec: {
          selector: { "app.oam.dev/component": component.name },
          ports: exposed.map((p) => ({ port: p.port, targetPort: p.port, name: p.name ?? `port-${p.port}` })),
          type: props.exposeType,
        },
      });
      return { ports };
    }
    if (ports.length > 0) {
      const service = new Service({
        metadata: { name: component.name, namespace: component.namespace },
        spec: {
          selector: component.selector,
          // Named by protocol so that Istio need not sniff it.
          ports: ports.map((p) => ({ name: portName(p), port: p.port, targetPort: p.port, protocol: p.protocol })),
        },
      });
      emit(service.toJSON() as KubeObject);
    }
    return { ports, standInService: ports.length > 0 };
  },
});

function portName(port: PortInfo): string {
  if (port.protocol !== "TCP") return `${port.protocol.toLowerCase()}-${port.port}`;
  return `${port.appProtocol}-${port.port}`;
}
