import { Service } from "kubernetes-models/v1/Service";
import type { KubeObject } from "../../types.js";
import { defineComponent } from "../component.js";
import type { AppProtocol, PortInfo } from "../trait.js";
import { renderWorkload, workloadProperties, type WorkloadProps } from "./workload.js";

interface WebserviceProps extends WorkloadProps {
  port?: number;
  ports?: { port: number; name?: string; protocol: PortInfo["protocol"]; appProtocol: AppProtocol }[];
}

const portNumber = { type: "integer", minimum: 1, maximum: 65535 } as const;

export const webservice = defineComponent<WebserviceProps>({
  type: "webservice",
  schema: {
    type: "object",
    required: ["image"],
    properties: {
      ...workloadProperties,
      port: portNumber,
      ports: {
        type: "array",
        items: {
          type: "object",
          required: ["port"],
          properties: {
            port: portNumber,
            name: { type: "string" },
            protocol: { type: "string", enum: ["TCP", "UDP", "SCTP"], default: "TCP" },
            appProtocol: { type: "string", enum: ["http", "http2", "grpc", "tcp", "tls"], default: "http" },
          },
        },
      },
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
    return { ports };
  },
});

function portName(port: PortInfo): string {
  if (port.protocol !== "TCP") return `${port.protocol.toLowerCase()}-${port.port}`;
  return `${port.appProtocol}-${port.port}`;
}
