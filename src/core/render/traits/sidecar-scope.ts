import { Sidecar } from "@kubernetes-models/istio/networking.istio.io/v1/Sidecar";
import type { KubeObject } from "../../types.js";
import { defineTrait } from "../trait.js";

interface SidecarScopeProps {
  egressHosts: string[];
  outboundTrafficPolicy?: "REGISTRY_ONLY" | "ALLOW_ANY";
}

// `namespace/host`: the namespace may be `.` (the Sidecar's own), `~` (none) or `*` (any).
const EGRESS_HOST = /^[^/\s]+\/[^/\s]+$/;

export const sidecarScope = defineTrait<SidecarScopeProps>({
  type: "sidecar-scope",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      egressHosts: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: { type: "string", minLength: 1 },
        // The component's own namespace and the control plane's.
        default: ["./*", "istio-system/*"],
      },
      // No default: left out, the mesh-wide setting applies (ALLOW_ANY unless changed).
      outboundTrafficPolicy: { type: "string", enum: ["REGISTRY_ONLY", "ALLOW_ANY"] },
    },
  },
  render({ props, component, emit, report }) {
    props.egressHosts.forEach((host, i) => {
      if (!EGRESS_HOST.test(host)) report("error", `\`${host}\` is not an egress host: write namespace/host, e.g. ./* or istio-system/*`, ["egressHosts", i]);
    });
    const sidecar = new Sidecar({
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        workloadSelector: { labels: component.selector },
        egress: [{ hosts: props.egressHosts }],
        ...(props.outboundTrafficPolicy ? { outboundTrafficPolicy: { mode: props.outboundTrafficPolicy } } : {}),
      },
    });
    emit(sidecar.toJSON() as KubeObject);
  },
});
