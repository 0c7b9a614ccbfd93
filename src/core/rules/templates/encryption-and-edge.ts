import type { RuleTemplate } from "../rule.js";
import { destinationTlsMode } from "./destination-tls-mode.js";
import { gatewayServerTls } from "./gateway-server-tls.js";
import { gatewayTlsVersion } from "./gateway-tls-version.js";
import { gatewayWildcardHosts } from "./gateway-wildcard-hosts.js";
import { ingressWorkloadProtection } from "./ingress-workload-protection.js";
import { meshWideMtls } from "./mesh-wide-mtls.js";
import { peerAuthenticationMode } from "./peer-authentication-mode.js";
import { tlsOrigination } from "./tls-origination.js";
import { wildcardExposure } from "./wildcard-exposure.js";

/** The templates of this group, registered in index.ts. */
export const encryptionAndEdgeTemplates: RuleTemplate[] = [
  meshWideMtls,
  peerAuthenticationMode,
  destinationTlsMode,
  tlsOrigination,
  gatewayServerTls,
  gatewayTlsVersion,
  gatewayWildcardHosts,
  wildcardExposure,
  ingressWorkloadProtection,
];
