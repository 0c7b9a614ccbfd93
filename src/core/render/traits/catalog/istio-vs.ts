import type { JsonObject } from "../../../types.js";
import { defineTrait } from "../../trait.js";

interface IstioVsProps {
  annotations?: Record<string, string>;
  hosts?: string[];
  gateways?: string[];
  http?: JsonObject[];
  tcp?: JsonObject[];
  exportTo?: string[];
}

/**
 * The KubeVela istio addon's `istio-vs` trait (kubevela/catalog
 * experimental/addons/istio/resources/istio-vs.cue): VirtualService C, networking.istio.io/v1alpha3,
 * with `hosts`, `gateways` and `http` as given. Its known defect is kept: it accepts `tcp`,
 * `exportTo` and `annotations` and renders none of them, so TCP routes are missing and the
 * VirtualService is exported to every namespace.
 */
export const istioVs = defineTrait<IstioVsProps>({
  type: "istio-vs",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      annotations: { type: "object", additionalProperties: { type: "string" } },
      hosts: { type: "array", items: { type: "string" } },
      gateways: { type: "array", items: { type: "string" } },
      http: { type: "array", items: { type: "object" } },
      tcp: { type: "array", items: { type: "object" } },
      exportTo: { type: "array", items: { type: "string" } },
    },
  },
  render({ props, component, emit, report }) {
    if (props.tcp !== undefined) report("warning", "`tcp` is accepted by istio-vs but its definition does not render it: the VirtualService the cluster gets has no TCP routes", ["tcp"]);
    if (props.exportTo !== undefined) report("warning", "`exportTo` is accepted by istio-vs but its definition does not render it: the VirtualService is exported to every namespace", ["exportTo"]);
    if (props.annotations !== undefined) report("notice", "`annotations` is accepted by istio-vs but its definition does not render it", ["annotations"]);
    emit({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      metadata: { name: component.name, namespace: component.namespace },
      spec: {
        ...(props.hosts !== undefined ? { hosts: props.hosts } : {}),
        ...(props.gateways !== undefined ? { gateways: props.gateways } : {}),
        ...(props.http !== undefined ? { http: props.http } : {}),
      },
    });
  },
});
