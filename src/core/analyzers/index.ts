import type { Analyzer } from "./analyzer.js";
import { applicationUid } from "./application-uid.js";
import { authorizationPolicies } from "./authorization-policies.js";
import { conflictingGateways } from "./conflicting-gateways.js";
import { conflictingServiceEntryProtocols } from "./conflicting-service-entry-protocols.js";
import { conflictingMeshGatewayHosts } from "./conflicting-mesh-gateway-hosts.js";
import { deploymentServices } from "./deployment-services.js";
import { deprecatedFields } from "./deprecated-fields.js";
import { destinationRuleSubsets } from "./destination-rule-subsets.js";
import { destinationRuleCaCertificates } from "./destination-rule-ca-certificates.js";
import { envoyFilterPatches } from "./envoy-filter-patches.js";
import { gatewayApiSelectors } from "./gateway-api-selectors.js";
import { gatewayCertificates } from "./gateway-certificates.js";
import { gatewayPorts } from "./gateway-ports.js";
import { gatewaySecrets } from "./gateway-secrets.js";
import { imageAuto } from "./image-auto.js";
import { jwtClaimRoutes } from "./jwt-claim-routes.js";
import { lightstepProviders } from "./lightstep-providers.js";
import { namespaceInjection } from "./namespace-injection.js";
import { resourceAnnotations } from "./resource-annotations.js";
import { servicePortNames } from "./service-port-names.js";
import { serviceEntryAddresses } from "./service-entry-addresses.js";
import { sidecarSelectors } from "./sidecar-selectors.js";
import { telemetryProviders } from "./telemetry-providers.js";
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
  jwtClaimRoutes,
  authorizationPolicies,
  sidecarSelectors,
  telemetrySelectors,
  telemetryDefaultSelectors,
  telemetryProviders,
  conflictingGateways,
  gatewayPorts,
  gatewaySecrets,
  gatewayCertificates,
  gatewayApiSelectors,
  envoyFilterPatches,
  destinationRuleCaCertificates,
  serviceEntryAddresses,
  applicationUid,
  imageAuto,
  namespaceInjection,
  servicePortNames,
  conflictingServiceEntryProtocols,
  destinationRuleSubsets,
  deploymentServices,
  resourceAnnotations,
  deprecatedFields,
  lightstepProviders,
];
