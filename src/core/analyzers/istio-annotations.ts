// The annotations Istio defines (istio/api `annotation/annotations.yaml`, generated into
// `AllResourceAnnotations()`): the kinds each may be set on, whether it is deprecated, and how
// istio-proxy injection validates its value (`pkg/kube/inject` AnnotationValidation). The one
// registry of Istio's annotation vocabulary: the annotations analyzer (IST0107, IST0108, IST0125,
// IST0135) reads it.

/** Resource types an annotation attaches to, as Istio names them; `Any` is every kind. */
export type AnnotationResource = "Any" | "AuthorizationPolicy" | "Gateway" | "GatewayClass" | "Ingress" | "Namespace" | "Pod" | "Service" | "ServiceEntry" | "WorkloadEntry";

/** How injection validates a value (absent: any value is accepted). */
export type AnnotationValue = "interceptionMode" | "statusPort" | "uint32" | "includeIPRanges" | "excludeIPRanges" | "includeInboundPorts" | "excludeInboundPorts" | "excludeOutboundPorts" | "bool" | "proxyConfig";

export interface IstioAnnotation {
  name: string;
  resources: readonly AnnotationResource[];
  deprecated?: true;
  value?: AnnotationValue;
  /** What the deprecation message adds after "has been deprecated". */
  deprecationNote?: string;
}

const pod = (name: string, extra: Partial<IstioAnnotation> = {}): IstioAnnotation => ({ name, resources: ["Pod"], ...extra });

export const ISTIO_ANNOTATIONS: readonly IstioAnnotation[] = [
  { name: "alpha.istio.io/canonical-serviceaccounts", resources: ["Service"], deprecated: true },
  { name: "alpha.istio.io/kubernetes-serviceaccounts", resources: ["Service"], deprecated: true },
  pod("ambient.istio.io/bypass-inbound-capture"),
  pod("ambient.istio.io/redirection"),
  { name: "ambient.istio.io/waypoint-inbound-binding", resources: ["GatewayClass", "Gateway"] },
  { name: "galley.istio.io/analyze-suppress", resources: ["Any"] },
  { name: "gateway.istio.io/controller-version", resources: ["Any"] },
  { name: "gateway.istio.io/name-override", resources: ["Gateway"] },
  { name: "gateway.istio.io/service-account", resources: ["Gateway"] },
  pod("inject.istio.io/templates"),
  { name: "istio.io/autoRegistrationGroup", resources: ["WorkloadEntry"] },
  { name: "istio.io/connectedAt", resources: ["WorkloadEntry"] },
  { name: "istio.io/disconnectedAt", resources: ["WorkloadEntry"] },
  { name: "istio.io/dry-run", resources: ["AuthorizationPolicy"] },
  pod("istio.io/rev"),
  { name: "istio.io/workloadController", resources: ["WorkloadEntry"] },
  { name: "kubernetes.io/ingress.class", resources: ["Ingress"] },
  { name: "networking.istio.io/exportTo", resources: ["Service"] },
  { name: "networking.istio.io/service-type", resources: ["Gateway"] },
  { name: "networking.istio.io/traffic-distribution", resources: ["Service", "ServiceEntry"] },
  pod("prometheus.istio.io/merge-metrics", { value: "bool" }),
  pod("proxy.istio.io/config", { value: "proxyConfig" }),
  pod("proxy.istio.io/overrides"),
  pod("readiness.status.sidecar.istio.io/applicationPorts"),
  pod("readiness.status.sidecar.istio.io/failureThreshold", { value: "uint32" }),
  pod("readiness.status.sidecar.istio.io/initialDelaySeconds", { value: "uint32" }),
  pod("readiness.status.sidecar.istio.io/periodSeconds", { value: "uint32" }),
  pod("sidecar.istio.io/agentLogLevel"),
  pod("sidecar.istio.io/bootstrapOverride"),
  pod("sidecar.istio.io/componentLogLevel"),
  pod("sidecar.istio.io/discoveryAddress", { deprecated: true }),
  pod("sidecar.istio.io/enableCoreDump"),
  pod("sidecar.istio.io/extraStatTags", { deprecated: true }),
  pod("sidecar.istio.io/inject", { deprecated: true, deprecationNote: ` in favor of the "sidecar.istio.io/inject" label` }),
  pod("sidecar.istio.io/interceptionMode", { value: "interceptionMode" }),
  pod("sidecar.istio.io/logLevel"),
  pod("sidecar.istio.io/nativeSidecar"),
  pod("sidecar.istio.io/proxyCPU"),
  pod("sidecar.istio.io/proxyCPULimit"),
  pod("sidecar.istio.io/proxyImage"),
  pod("sidecar.istio.io/proxyImageType"),
  pod("sidecar.istio.io/proxyMemory"),
  pod("sidecar.istio.io/proxyMemoryLimit"),
  pod("sidecar.istio.io/rewriteAppHTTPProbers"),
  pod("sidecar.istio.io/statsHistogramBuckets"),
  pod("sidecar.istio.io/statsInclusionPrefixes", { deprecated: true }),
  pod("sidecar.istio.io/statsInclusionRegexps", { deprecated: true }),
  pod("sidecar.istio.io/statsInclusionSuffixes", { deprecated: true }),
  pod("sidecar.istio.io/status"),
  pod("sidecar.istio.io/userVolume"),
  pod("sidecar.istio.io/userVolumeMount"),
  pod("status.sidecar.istio.io/port", { value: "statusPort" }),
  { name: "topology.istio.io/controlPlaneClusters", resources: ["Namespace"] },
  { name: "traffic.istio.io/nodeSelector", resources: ["Service"] },
  pod("traffic.sidecar.istio.io/excludeInboundPorts", { value: "excludeInboundPorts" }),
  pod("traffic.sidecar.istio.io/excludeInterfaces"),
  pod("traffic.sidecar.istio.io/excludeOutboundIPRanges", { value: "excludeIPRanges" }),
  pod("traffic.sidecar.istio.io/excludeOutboundPorts", { value: "excludeOutboundPorts" }),
  pod("traffic.sidecar.istio.io/includeInboundPorts", { value: "includeInboundPorts" }),
  pod("traffic.sidecar.istio.io/includeOutboundIPRanges", { value: "includeIPRanges" }),
  pod("traffic.sidecar.istio.io/includeOutboundPorts"),
  pod("traffic.sidecar.istio.io/kubevirtInterfaces"),
];

const BY_NAME = new Map(ISTIO_ANNOTATIONS.map((a) => [a.name, a]));

export function istioAnnotation(name: string): IstioAnnotation | undefined {
  return BY_NAME.get(name);
}

/**
 * Whether an annotation is in Istio's domain (the part before its first `/` ends in `istio.io`), so that one Istio
 * does not know is a mistake; `kubernetes.io/ingress.class` is the one Kubernetes annotation
 * Istio documents.
 */
export function isIstioDomainAnnotation(name: string): boolean {
  if (name === "kubernetes.io/ingress.class") return true;
  return (name.split("/")[0] ?? "").endsWith("istio.io");
}
