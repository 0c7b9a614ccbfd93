// The IST codes meshgate's analyzers report: code, Istio's level, Istio's message template
// (pkg/config/analysis/msg/messages.yaml, its `%v` arguments named here) and the rule text the
// gate's catalog is generated from (`npm run generate` writes rules/IST-<nnn>.yaml). The one
// registry of the codes: the analyzers, `meshgate analyze --list` and the catalog all read it.

export type IstioLevel = "Error" | "Warning" | "Info";

export interface IstioCode {
  code: string;
  /** Istio's name of the message. */
  name: string;
  level: IstioLevel;
  /** Istio's message, with `{arg}` placeholders where Istio's template has its arguments. */
  template: string;
  /** What Istio's description says the message means (the rule's description). */
  description: string;
  /** How to fix it. */
  remediation: string;
  /** SOC 2 criteria: CC7.1 (configuration that breaks what it means), CC8.1 where a change is at stake. */
  controls: string[];
  /**
   * The catalog rule that judges the same fault in the gate, where one exists: the code then has
   * no IST rule of its own (one finding for one fault), and `meshgate analyze` still reports it.
   */
  coveredBy?: string;
}

const code = (entry: Omit<IstioCode, "controls"> & { controls?: string[] }): IstioCode => ({ controls: ["CC7.1"], ...entry });

export const ISTIO_CODES: readonly IstioCode[] = [
  code({
    code: "IST0002", name: "Deprecated", level: "Warning", template: "Deprecated: {detail}",
    description: "A feature that the configuration depends on is deprecated in Istio.",
    remediation: "Move to the replacement the message names before the feature is removed.", controls: ["CC7.1", "CC8.1"],
  }),
  code({
    code: "IST0101", name: "ReferencedResourceNotFound", level: "Error", template: "Referenced {reftype} not found: \"{refval}\"",
    description: "A resource references another (a host, a gateway, a subset, a selector's workloads, a namespace) that does not exist where Istio looks for it, exportTo and namespace visibility included.",
    remediation: "Define the referenced resource, export it to the referencing namespace, or correct the reference.",
  }),
  code({
    code: "IST0102", name: "NamespaceNotInjected", level: "Info",
    template: "The namespace is not enabled for Istio injection. Run 'kubectl label namespace {namespace} istio-injection=enabled' to enable it, or 'kubectl label namespace {namespace} istio-injection=disabled' to explicitly mark it as not needing injection.",
    description: "A namespace carries no injection label (istio-injection or istio.io/rev), so its pods run without a sidecar unless labelled one by one.",
    remediation: "Label the namespace `istio-injection=enabled` (or `istio.io/rev=<revision>`), or `istio-injection=disabled` to say it stays out of the mesh.",
  }),
  code({
    code: "IST0107", name: "MisplacedAnnotation", level: "Warning", template: "Misplaced annotation: {annotation} can only be applied to {kind}",
    description: "An Istio annotation is set on a kind of resource that Istio does not read it from.",
    remediation: "Move the annotation to the kind the message names (e.g. a pod template rather than the Deployment).",
  }),
  code({
    code: "IST0108", name: "UnknownAnnotation", level: "Warning", template: "Unknown annotation: {annotation}",
    description: "An annotation in an Istio domain is not one Istio knows, so it has no effect.",
    remediation: "Correct the annotation's name, or remove it.",
  }),
  code({
    code: "IST0109", name: "ConflictingMeshGatewayVirtualServiceHosts", level: "Error",
    template: "The VirtualServices {virtualServices} associated with mesh gateway define the same host {host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
    description: "Several VirtualServices bound to the mesh (sidecars) and visible in one namespace define the same host: Istio applies one of them.",
    remediation: "Merge the VirtualServices into one, or narrow their exportTo so that no namespace sees two.",
  }),
  code({
    code: "IST0110", name: "ConflictingSidecarWorkloadSelectors", level: "Error",
    template: "The Sidecars {conflictingSidecars} in namespace \"{namespace}\" select the same workload pod \"{workloadPod}\", which can lead to undefined behavior.",
    description: "Two Sidecar resources select the same workload: Istio applies one of them.",
    remediation: "Make the Sidecars' workload selectors disjoint, or merge them.",
  }),
  code({
    code: "IST0111", name: "MultipleSidecarsWithoutWorkloadSelectors", level: "Error",
    template: "The Sidecars {conflictingSidecars} in namespace \"{namespace}\" have no workload selector, which can lead to undefined behavior.",
    description: "More than one Sidecar in a namespace has no workload selector: Istio applies one of them to the namespace.",
    remediation: "Keep one selector-less Sidecar per namespace; give the others a workloadSelector.",
  }),
  code({
    code: "IST0112", name: "VirtualServiceDestinationPortSelectorRequired", level: "Error",
    template: "This VirtualService routes to a service \"{destHost}\" that exposes multiple ports {destPorts}. Specifying a port in the destination is required to disambiguate.",
    description: "A route's destination is a Service with several ports, and the route names none.",
    remediation: "Set `destination.port.number` on the route.",
  }),
  code({
    code: "IST0116", name: "DeploymentAssociatedToMultipleServices", level: "Warning",
    template: "This deployment {deployment} is associated with multiple services using port {port} but different protocols: {services}",
    description: "Services that select the same pods use one port with different protocols: the sidecar can serve only one.",
    remediation: "Give the port one protocol in every Service that selects the pods.",
  }),
  code({
    code: "IST0118", name: "PortNameIsNotUnderNamingConvention", level: "Info",
    template: "Port name {portName} (port: {port}, targetPort: {targetPort}) doesn't follow the naming convention of Istio port.",
    description: "A Service port's name names no protocol and it has no appProtocol, so Istio sniffs the protocol.",
    remediation: "Name the port `<protocol>[-<suffix>]` (http-web, grpc-api, tcp-db) or set appProtocol.", coveredBy: "TRAF-005",
  }),
  code({
    code: "IST0123", name: "NamespaceMultipleInjectionLabels", level: "Warning",
    template: "The namespace has more than one type of injection labels {labels}, which may lead to undefined behavior. Make sure only one injection label exists.",
    description: "A namespace carries both istio-injection and istio.io/rev: which webhook injects is undefined.",
    remediation: "Keep one injection label on the namespace.",
  }),
  code({
    code: "IST0125", name: "InvalidAnnotation", level: "Warning", template: "Invalid annotation {annotation}: {problem}",
    description: "An Istio annotation's value is not one Istio accepts.",
    remediation: "Give the annotation a value of the type Istio documents for it.",
  }),
  code({
    code: "IST0127", name: "NoMatchingWorkloadsFound", level: "Warning", template: "No matching workloads for this resource with the following labels: {labels}",
    description: "A policy's selector matches no workload in its scope, so it applies to nothing.",
    remediation: "Correct the selector's labels, or the namespace of the policy.",
  }),
  code({
    code: "IST0128", name: "NoServerCertificateVerificationDestinationLevel", level: "Warning",
    template: "DestinationRule {destinationrule} in namespace {namespace} has TLS mode set to {mode} but no caCertificates are set to validate server identity for host: {host}",
    description: "A DestinationRule originates TLS with no CA certificates, so the server's certificate is not verified.",
    remediation: "Set `caCertificates` (or `credentialName` with a CA) in the DestinationRule's trafficPolicy.tls.",
  }),
  code({
    code: "IST0129", name: "NoServerCertificateVerificationPortLevel", level: "Warning",
    template: "DestinationRule {destinationrule} in namespace {namespace} has TLS mode set to {mode} but no caCertificates are set to validate server identity for host: {host} at port {port}",
    description: "A port-level TLS setting of a DestinationRule originates TLS with no CA certificates, so the server's certificate is not verified.",
    remediation: "Set `caCertificates` (or `credentialName` with a CA) in the port's tls settings.",
  }),
  code({
    code: "IST0130", name: "VirtualServiceUnreachableRule", level: "Warning", template: "VirtualService rule {ruleno} not used ({reason}).",
    description: "A VirtualService rule can never be used, since an earlier rule matches all its traffic.",
    remediation: "Reorder the rules, or remove the unreachable one.",
  }),
  code({
    code: "IST0131", name: "VirtualServiceIneffectiveMatch", level: "Info",
    template: "VirtualService rule {ruleno} match {matchno} is not used (duplicate/overlapping match in rule {dupno}).",
    description: "A VirtualService match repeats an earlier match, so it never selects traffic.",
    remediation: "Remove the duplicate match, or change it.",
  }),
  code({
    code: "IST0132", name: "VirtualServiceHostNotFoundInGateway", level: "Warning",
    template: "one or more host {host} defined in VirtualService {virtualservice} not found in Gateway {gateway}.",
    description: "A VirtualService bound to a Gateway names a host that the Gateway's servers do not serve: that route is never used by the gateway.",
    remediation: "Add the host to the Gateway's servers, or bind the VirtualService to a Gateway that serves it.", controls: ["CC7.1", "CC8.1"],
  }),
  code({
    code: "IST0134", name: "ServiceEntryAddressesRequired", level: "Warning", template: "ServiceEntry addresses are required for this protocol.",
    description: "A ServiceEntry port serves TCP (or no protocol) and the entry has no addresses: without DNS auto-allocation, the sidecar cannot tell its traffic apart.",
    remediation: "Give the ServiceEntry `addresses`, or enable ISTIO_META_DNS_AUTO_ALLOCATE in the mesh config.",
  }),
  code({
    code: "IST0135", name: "DeprecatedAnnotation", level: "Info", template: "Annotation \"{annotation}\" has been deprecated{extra} and may not work in future Istio versions.",
    description: "A resource uses a deprecated Istio annotation.",
    remediation: "Move to the replacement Istio documents for the annotation.", controls: ["CC7.1", "CC8.1"],
  }),
  code({
    code: "IST0137", name: "DeploymentConflictingPorts", level: "Warning",
    template: "This deployment {deployment} is associated with multiple services {services} using targetPort \"{targetPort}\" but different ports: {ports}.",
    description: "Services that select the same pods map one targetPort from different ports.",
    remediation: "Use the same port for the targetPort in every Service that selects the pods.",
  }),
  code({
    code: "IST0138", name: "GatewayDuplicateCertificate", level: "Warning",
    template: "Duplicate certificate in multiple gateways {gateways} may cause 404s if clients re-use HTTP2 connections.",
    description: "Several Gateways on one workload use the same certificate: HTTP/2 clients that reuse a connection get 404s.",
    remediation: "Serve the hosts from one Gateway server, or give each Gateway its own certificate.",
  }),
  code({
    code: "IST0140", name: "IngressRouteRulesNotAffected", level: "Warning",
    template: "Subset in virtual service {virtualservicesubset} has no effect on ingress gateway {virtualservice} requests",
    description: "A VirtualService routes to a subset of a host through a Service that another VirtualService's host aliases: the subset rule has no effect on ingress requests.",
    remediation: "Route to the subset from the ingress VirtualService itself.",
  }),
  code({
    code: "IST0144", name: "InvalidApplicationUID", level: "Warning", template: "User ID (UID) 1337 is reserved for the sidecar proxy.",
    description: "A pod or container runs as UID 1337, the sidecar's: its traffic bypasses the proxy.",
    remediation: "Run the application as another user ID.",
  }),
  code({
    code: "IST0145", name: "ConflictingGateways", level: "Error",
    template: "Conflict with gateways {gateway} (workload selector {selector}, port {portnumber}, hosts {hosts}).",
    description: "Gateways with the same selector define the same port and host: Istio serves one of them.",
    remediation: "Merge the servers into one Gateway, or use distinct hosts or ports.",
  }),
  code({
    code: "IST0146", name: "ImageAutoWithoutInjectionWarning", level: "Warning",
    template: "{resourceType} {resourceName} contains `image: auto` but does not match any Istio injection webhook selectors.",
    description: "A Deployment uses `image: auto` (the injected gateway image) but no injection selects its pods.",
    remediation: "Label the namespace or the pod template for injection.",
  }),
  code({
    code: "IST0147", name: "ImageAutoWithoutInjectionError", level: "Error",
    template: "{resourceType} {resourceName} contains `image: auto` but does not match any Istio injection webhook selectors.",
    description: "A Pod uses `image: auto` but no injection selects it: it cannot start.",
    remediation: "Label the namespace or the pod for injection.",
  }),
  code({
    code: "IST0149", name: "JwtClaimBasedRoutingWithoutRequestAuthN", level: "Error",
    template: "The virtual service uses the JWT claim based routing (key: {key}) but found no request authentication for the gateway ({gateway}) pod ({pod}). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.",
    description: "A VirtualService routes on JWT claims at a gateway whose pods no RequestAuthentication applies to.",
    remediation: "Apply a RequestAuthentication to the gateway's pods.", controls: ["CC7.1", "CC6.1"],
  }),
  code({
    code: "IST0150", name: "ExternalNameServiceTypeInvalidPortName", level: "Warning",
    template: "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly",
    description: "An ExternalName Service port is named for TCP or not at all: the proxy may not forward its traffic.",
    remediation: "Name the ExternalName Service's ports by their application protocol.",
  }),
  code({
    code: "IST0151", name: "EnvoyFilterUsesRelativeOperation", level: "Warning",
    template: "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.",
    description: "An EnvoyFilter with no priority patches relative to another filter: whether it applies depends on order.",
    remediation: "Use INSERT_FIRST or ADD, or set the EnvoyFilter's priority.",
  }),
  code({
    code: "IST0152", name: "EnvoyFilterUsesReplaceOperationIncorrectly", level: "Error", template: "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.",
    description: "An EnvoyFilter patch uses REPLACE where applyTo is neither HTTP_FILTER nor NETWORK_FILTER: it is ignored.",
    remediation: "Use MERGE, or patch a filter.",
  }),
  code({
    code: "IST0153", name: "EnvoyFilterUsesAddOperationIncorrectly", level: "Error", template: "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.",
    description: "An EnvoyFilter patch uses ADD on ROUTE_CONFIGURATION or HTTP_ROUTE: it is ignored.",
    remediation: "Use MERGE, or patch another object.",
  }),
  code({
    code: "IST0154", name: "EnvoyFilterUsesRemoveOperationIncorrectly", level: "Error", template: "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.",
    description: "An EnvoyFilter patch uses REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE: it is ignored.",
    remediation: "Patch the object that holds the route instead.",
  }),
  code({
    code: "IST0155", name: "EnvoyFilterUsesRelativeOperationWithProxyVersion", level: "Warning",
    template: "This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.",
    description: "An EnvoyFilter with no priority patches relatively and matches a proxyVersion: during an upgrade it may not apply.",
    remediation: "Use INSERT_FIRST or ADD, or set the EnvoyFilter's priority.", controls: ["CC7.1", "CC8.1"],
  }),
  code({
    code: "IST0157", name: "InvalidTelemetryProvider", level: "Warning", template: "The Telemetry {name} in namespace \"{namespace}\" with empty providers will be ignored.",
    description: "A Telemetry names no provider and the mesh config has no default one: it is ignored.",
    remediation: "Name a provider in the Telemetry, or set the mesh config's defaultProviders.",
  }),
  code({
    code: "IST0159", name: "ConflictingTelemetryWorkloadSelectors", level: "Error",
    template: "The Telemetries {conflictingTelemetries} in namespace \"{namespace}\" select the same workload pod \"{workloadPod}\", which can lead to undefined behavior.",
    description: "Two Telemetry resources select the same workload: Istio applies one of them.",
    remediation: "Make the selectors disjoint, or merge the Telemetries.",
  }),
  code({
    code: "IST0160", name: "MultipleTelemetriesWithoutWorkloadSelectors", level: "Error",
    template: "The Telemetries {conflictingTelemetries} in namespace \"{namespace}\" have no workload selector, which can lead to undefined behavior.",
    description: "More than one Telemetry in a namespace has no selector: Istio applies one of them.",
    remediation: "Keep one selector-less Telemetry per namespace.",
  }),
  code({
    code: "IST0162", name: "GatewayPortNotDefinedOnService", level: "Warning",
    template: "The gateway is listening on a target port (port {port}) that is not defined in the Service associated with its workload instances (Pod selector {selector}). If you need to access the gateway port through the gateway Service, it will not be available.",
    description: "A Gateway server listens on a port that the Service of its workload does not expose.",
    remediation: "Expose the port on the gateway's Service, or listen on a port it exposes.",
  }),
  code({
    code: "IST0165", name: "ReferencedInternalGateway", level: "Warning",
    template: "Referenced internal gateway {gateway} in VirtualService {virtualservice}. Internal gateways are managed by Istio and may change without notice.",
    description: "A VirtualService references a Gateway that Istio generates from a Gateway API Gateway.",
    remediation: "Attach an HTTPRoute to the Gateway API Gateway instead.",
  }),
  code({
    code: "IST0166", name: "IneffectiveSelector", level: "Warning",
    template: "Ineffective selector on Kubernetes Gateway {gateway}. Use the TargetRef field instead.",
    description: "A policy's selector matches the pods of a Gateway API Gateway: selectors do not apply there, targetRefs do.",
    remediation: "Attach the policy with `targetRefs` to the Gateway.",
  }),
  code({
    code: "IST0167", name: "IneffectivePolicy", level: "Warning", template: "The policy has no impact: {reason}.",
    description: "A policy cannot have any effect where it is (e.g. a selector-less Sidecar whose namespace runs no workload).",
    remediation: "Remove the policy or correct where it applies.",
  }),
  code({
    code: "IST0173", name: "DestinationRuleSubsetNotSelectPods", level: "Error",
    template: "The Subset {subset} defined in the DestinationRule does not select any pods, which may lead to 503 UH (NoHealthyUpstream).",
    description: "A DestinationRule subset's labels select no pod of the host's Service.",
    remediation: "Correct the subset's labels to select the Service's pods.",
  }),
  code({
    code: "IST0174", name: "UnknownDestinationRuleHost", level: "Warning",
    template: "The host {host} defined in the DestinationRule does not match any services in the mesh.",
    description: "A DestinationRule's host matches no Service or ServiceEntry visible to it.",
    remediation: "Correct the host, or define the Service it is for.",
  }),
  code({
    code: "IST0177", name: "ConflictingServiceEntryProtocol", level: "Warning",
    template: "ServiceEntries {serviceEntries} define host {host} port {port} with conflicting protocols: {protocols}.",
    description: "ServiceEntries visible in one namespace define the same host and port with different protocols.",
    remediation: "Give the port one protocol, or merge the ServiceEntries.",
  }),
];

const BY_CODE = new Map(ISTIO_CODES.map((c) => [c.code, c]));

export function istioCode(code: string): IstioCode | undefined {
  return BY_CODE.get(code);
}

/** The catalog rule id of an IST code: IST0132 → IST-132. */
export function ruleIdOf(code: string): string {
  return `IST-${code.slice(4)}`;
}
