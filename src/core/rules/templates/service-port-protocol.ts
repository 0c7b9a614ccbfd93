import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface ServicePortProtocolParams {
  /** Protocols Istio recognises as a port name (`http`) or name prefix (`http-web`), or as `appProtocol`. */
  protocols: string[];
  /** Further `appProtocol` values Istio maps to a protocol (Kubernetes' `kubernetes.io/h2c`, …). */
  appProtocols: string[];
}

/**
 * Service ports whose protocol Istio must sniff, following Istio's protocol selection:
 * `appProtocol` when set (it takes precedence over the name), else the port name, whose part
 * before the first `-` must be a known protocol. Only TCP ports are judged: Istio takes a UDP
 * port's protocol from its `protocol` field, and the sidecar does not capture SCTP.
 */
export const servicePortProtocol = defineTemplate<ServicePortProtocolParams>({
  name: "service-port-protocol",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["protocols", "appProtocols"],
    properties: {
      protocols: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z0-9_]+(-[a-z0-9_]+)*$" } },
      appProtocols: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } },
    },
  },
  check({ index }, { protocols, appProtocols }) {
    const known = new Set(protocols);
    const recognised = (value: string): boolean => known.has(value.toLowerCase()) || known.has((value.split("-")[0] ?? "").toLowerCase());
    const services = index.ofKind("Service");
    const findings: FindingDraft[] = [];
    for (const service of services) {
      asArray(at(service.object.spec, "ports")).forEach((port, i) => {
        if (port === null || typeof port !== "object" || Array.isArray(port)) return;
        const transport = at(port, "protocol");
        if (transport !== undefined && transport !== null && transport !== "TCP") return;
        const name = at(port, "name");
        const appProtocol = at(port, "appProtocol");
        let declared: string;
        if (typeof appProtocol === "string" && appProtocol !== "") {
          if (appProtocols.includes(appProtocol) || recognised(appProtocol)) return;
          declared = `appProtocol \`${appProtocol}\``;
        } else if (typeof name === "string" && name !== "") {
          if (recognised(name)) return;
          declared = `name \`${name}\``;
        } else {
          declared = "no name, no appProtocol";
        }
        const number = at(port, "port");
        const id = typeof number === "number" ? String(number) : `#${i}`;
        findings.push({ resource: service, key: `port:${id}`, pointer: `/spec/ports/${i}`, values: { port: id, declared } });
      });
    }
    return findings;
  },
});
