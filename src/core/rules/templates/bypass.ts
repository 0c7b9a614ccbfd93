import type { RuleTemplate } from "../rule.js";
import { endpointInjection } from "./endpoint-injection.js";
import { envoyFilterPatch } from "./envoy-filter-patch.js";
import { faultAllTraffic } from "./fault-all-traffic.js";
import { gatewayClientAuthRemoved } from "./gateway-client-auth-removed.js";
import { hostTakeover } from "./host-takeover.js";
import { inertPolicy } from "./inert-policy.js";
import { routeUnusable } from "./route-unusable.js";
import { serviceAroundIngress } from "./service-around-ingress.js";
import { telemetryDisabled } from "./telemetry-disabled.js";
import { wasmPlugin } from "./wasm-plugin.js";

/** The templates of the ways around the gate (proxy code, endpoints, edges, audit trail, availability), registered in index.ts. */
export const bypassTemplates: RuleTemplate[] = [
  envoyFilterPatch,
  wasmPlugin,
  endpointInjection,
  gatewayClientAuthRemoved,
  serviceAroundIngress,
  hostTakeover,
  telemetryDisabled,
  faultAllTraffic,
  routeUnusable,
  inertPolicy,
];
