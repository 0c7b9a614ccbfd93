import type { Analyzer } from "./analyzer.js";
import { authorizationPolicies } from "./authorization-policies.js";
import { conflictingMeshGatewayHosts } from "./conflicting-mesh-gateway-hosts.js";
import { sidecarSelectors } from "./sidecar-selectors.js";
import { telemetryDefaultSelectors, telemetrySelectors } from "./telemetry-selectors.js";
import { virtualServiceDestinationHosts } from "./virtual-service-destination-hosts.js";
import { virtualServiceDestinationRules } from "./virtual-service-destination-rules.js";
import { virtualServiceGateways } from "./virtual-service-gateways.js";
import { virtualServiceUnreachableRules } from "./virtual-service-unreachable-rules.js";

/** The analyzers, in the order their messages are reported. The one registry of them. */
export const ANALYZERS: readonly Analyzer[] = [
  virtualServiceGateways,
  virtualServiceDestinationHosts,
  virtualServiceDestinationRules,
  conflictingMeshGatewayHosts,
  virtualServiceUnreachableRules,
  authorizationPolicies,
  sidecarSelectors,
  telemetrySelectors,
  telemetryDefaultSelectors,
];
