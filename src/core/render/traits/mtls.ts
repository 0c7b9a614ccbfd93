import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import type { KubeObject } from "../../types.js";
import { defineTrait } from "../trait.js";

type Mode = "STRICT" | "PERMISSIVE" | "DISABLE";

interface MtlsProps {
  mode: Mode;
  portLevel?: Record<string, Mode>;
}

const mode = { type: "string", enum: ["STRICT", "PERMISSIVE", "DISABLE"] } as const;

export const mtls = defineTrait<MtlsProps>({
  type: "mtls",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      mode: { ...mode, default: "STRICT" },
      portLevel: {
        type: "object",
        propertyNames: { pattern: "^[1-9][0-9]{0,4}$" },
        additionalProperties: mode,
      },
    },
  },
  render({ props, component, emit, report }) {
    const portLevel = props.portLevel ?? {};
    const known = component.ports?.map((p) => String(p.port));
    // Sorted, so the output does not depend on the order the keys were written in.
    const ports = Object.keys(portLevel).sort((a, b) => Number(a) - Number(b));
    for (const port of ports) {
      if (known && !known.includes(port)) {
        report("warning", `port ${port} is not a port of ${component.name} (${known.join(", ") || "none"}): Istio applies port-level mTLS to workload ports only`, ["portLevel", port]);
      }
    }
    const peerAuthentication = new PeerAuthentication({
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        selector: { matchLabels: component.selector },
        mtls: { mode: props.mode },
        ...(ports.length > 0 ? { portLevelMtls: Object.fromEntries(ports.map((p) => [p, { mode: portLevel[p] }])) } : {}),
      },
    });
    emit(peerAuthentication.toJSON() as KubeObject);
  },
});
