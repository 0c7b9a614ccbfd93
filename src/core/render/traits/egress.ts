import { ServiceEntry } from "@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry";
import type { KubeObject } from "../../types.js";
import { defineTrait, PORT_NUMBER_SCHEMA } from "../trait.js";

type Protocol = "HTTP" | "HTTPS" | "HTTP2" | "GRPC" | "TLS" | "TCP";
type Resolution = "NONE" | "DNS" | "DNS_ROUND_ROBIN";

interface EgressProps {
  hosts: string[];
  ports: { number: number; protocol: Protocol }[];
  /** No schema default: an explicit DNS on a wildcard host is an error, the default is not. */
  resolution?: Resolution;
}

// A DNS name whose first label may be a wildcard (`*.example.com`). A bare `*` is read as a
// host too, so that it can be reported with what Istio does with it.
const HOST = /^(\*|(\*\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*)$/;

export const egress = defineTrait<EgressProps>({
  type: "egress",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["hosts"],
    properties: {
      hosts: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
      ports: {
        type: "array",
        minItems: 1,
        default: [{ number: 443, protocol: "TLS" }],
        items: {
          type: "object",
          additionalProperties: false,
          required: ["number", "protocol"],
          properties: {
            number: PORT_NUMBER_SCHEMA,
            protocol: { type: "string", enum: ["HTTP", "HTTPS", "HTTP2", "GRPC", "TLS", "TCP"] },
          },
        },
      },
      // STATIC and DYNAMIC_DNS need endpoints or settings this trait does not offer.
      resolution: { type: "string", enum: ["NONE", "DNS", "DNS_ROUND_ROBIN"] },
    },
  },
  render({ props, component, emit, report }) {
    props.hosts.forEach((host, i) => {
      if (!HOST.test(host)) {
        report("error", `\`${host}\` is not a host name: write a DNS name such as api.example.com, with a wildcard only as the whole first label (*.example.com)`, ["hosts", i]);
      } else if (host === "*") {
        report("error", "host `*` matches every external host, and Istio rejects it in a ServiceEntry: list the hosts the component calls", ["hosts", i]);
      }
    });
    const wildcard = props.hosts.findIndex((host) => host.startsWith("*"));
    if (wildcard >= 0 && props.resolution !== undefined && props.resolution !== "NONE") {
      report("error", `resolution ${props.resolution} cannot resolve the wildcard host \`${props.hosts[wildcard] ?? ""}\`, and Istio rejects it: leave \`resolution\` out (wildcard hosts get NONE) or list exact hosts`, ["resolution"]);
    }
    const seen = new Map<number, number>();
    props.ports.forEach((port, i) => {
      const first = seen.get(port.number);
      if (first !== undefined) report("error", `port ${port.number} is listed twice (ports[${first}] and ports[${i}]): Istio rejects duplicate port numbers`, ["ports", i, "number"]);
      else seen.set(port.number, i);
      if (port.protocol === "TCP") {
        report("warning", `TCP port ${port.number}: a ServiceEntry without addresses cannot tell TCP destinations apart by host, so it covers all outbound TCP traffic to port ${port.number} (unless the proxies allocate addresses with DNS capture); prefer TLS when the traffic is TLS`, ["ports", i, "protocol"]);
      }
    });

    const serviceEntry = new ServiceEntry({
      metadata: { name: `${component.name}-egress`, namespace: component.namespace },
      spec: {
        hosts: props.hosts,
        // Exported to its own namespace only: other teams' workloads do not inherit this access.
        exportTo: ["."],
        location: "MESH_EXTERNAL",
        ports: props.ports.map((p) => ({ number: p.number, name: `${p.protocol.toLowerCase()}-${p.number}`, protocol: p.protocol })),
        resolution: props.resolution ?? (wildcard >= 0 ? "NONE" : "DNS"),
      },
    });
    emit(serviceEntry.toJSON() as KubeObject);
  },
});
