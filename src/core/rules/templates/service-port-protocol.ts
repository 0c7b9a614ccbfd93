import { exemptFromPortNaming, portProtocol } from "../../analyzers/port-protocol.js";
import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

/**
 * Service ports whose protocol Istio must sniff, by Istio's own protocol selection (the one
 * IST0118 reads: `appProtocol` over the name, the name's prefix, well-known TCP ports), with
 * Istio's exemptions: system namespaces and the control plane's Services (istiod, gateways,
 * waypoints with their HBONE port). SCTP ports are not judged: the sidecar does not capture them.
 * In the gate this rule owns the fault; IST0118 says the same in `meshgate analyze` only.
 */
export const servicePortProtocol = defineTemplate<Record<string, never>>({
  name: "service-port-protocol",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    const findings: FindingDraft[] = [];
    for (const service of index.ofKind("Service")) {
      if (exemptFromPortNaming(service)) continue;
      asArray(at(service.object.spec, "ports")).forEach((port, i) => {
        if (port === null || typeof port !== "object" || Array.isArray(port)) return;
        if (at(port, "protocol") === "SCTP" || portProtocol(port) !== undefined) return;
        const name = at(port, "name");
        const appProtocol = at(port, "appProtocol");
        let declared: string;
        if (typeof appProtocol === "string" && appProtocol !== "") declared = `appProtocol \`${appProtocol}\``;
        else if (typeof name === "string" && name !== "") declared = `name \`${name}\``;
        else declared = "no name, no appProtocol";
        const number = at(port, "port");
        const id = typeof number === "number" ? String(number) : `#${i}`;
        findings.push({ resource: service, key: `port:${id}`, pointer: `/spec/ports/${i}`, values: { port: id, declared } });
      });
    }
    return findings;
  },
});
