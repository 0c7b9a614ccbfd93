import { describe, expect, it } from "vitest";
import { annotationValueProblem } from "../../src/core/analyzers/annotation-values.js";
import { analyzeYaml } from "./analyze-files.js";

const CODES = ["IST0107", "IST0108", "IST0125", "IST0135"];

function pod(annotations: string, labels = "{}"): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: ${labels}
  annotations:
${annotations.replace(/^/gm, "    ")}
spec:
  containers: [{ name: app, image: app:1 }]
`;
}

describe("Istio's annotations (annotations.K8sAnalyzer)", () => {
  it("reports an annotation of Istio's domain that Istio does not define, and leaves other domains alone", () => {
    expect(analyzeYaml(pod(`sidecar.istio.io/proxyCPUs: "1"\nexample.com/istio: "x"\nhelm.sh/hook: test`), {}, CODES)).toEqual([
      "IST0108 Pod shop/web: Unknown annotation: sidecar.istio.io/proxyCPUs",
    ]);
  });

  it("reports a Pod annotation on a Deployment's own metadata, not on its pod template", () => {
    const deployment = (where: "top" | "template"): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
${where === "top" ? "  annotations: { sidecar.istio.io/proxyCPU: 100m }\n" : ""}spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
${where === "template" ? "      annotations: { sidecar.istio.io/proxyCPU: 100m }\n" : ""}    spec:
      containers: [{ name: app, image: app:1 }]
`;
    expect(analyzeYaml(deployment("top"), {}, CODES)).toEqual(["IST0107 Deployment shop/web: Misplaced annotation: sidecar.istio.io/proxyCPU can only be applied to Pod"]);
    expect(analyzeYaml(deployment("template"), {}, CODES)).toEqual([]);
  });

  it("names every kind an annotation may be on when it is misplaced", () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: { name: shop, annotations: { networking.istio.io/traffic-distribution: PreferClose } }
`;
    expect(analyzeYaml(yaml, {}, CODES)).toEqual(["IST0107 Namespace /shop: Misplaced annotation: networking.istio.io/traffic-distribution can only be applied to Service, ServiceEntry"]);
  });

  it("reports deprecated annotations, and says what replaces the injection annotation unless the label is there too", () => {
    expect(analyzeYaml(pod(`sidecar.istio.io/inject: "true"`), {}, CODES)).toEqual([
      'IST0135 Pod shop/web: Annotation "sidecar.istio.io/inject" has been deprecated in favor of the "sidecar.istio.io/inject" label and may not work in future Istio versions.',
    ]);
    expect(analyzeYaml(pod(`sidecar.istio.io/inject: "true"`, `{ sidecar.istio.io/inject: "true" }`), {}, CODES)).toEqual([]);
  });

  it("reports values injection refuses, and accepts the ones it takes", () => {
    const bad = pod(`readiness.status.sidecar.istio.io/periodSeconds: "-1"\nsidecar.istio.io/interceptionMode: DNAT\ntraffic.sidecar.istio.io/excludeOutboundIPRanges: 10.0.0.0/33\nprometheus.istio.io/merge-metrics: "yes"`);
    expect(analyzeYaml(bad, {}, CODES)).toEqual([
      'IST0125 Pod shop/web: Invalid annotation readiness.status.sidecar.istio.io/periodSeconds: strconv.ParseUint: parsing "-1": invalid syntax',
      "IST0125 Pod shop/web: Invalid annotation sidecar.istio.io/interceptionMode: interceptionMode invalid, use REDIRECT,TPROXY,NONE: DNAT",
      `IST0125 Pod shop/web: Invalid annotation traffic.sidecar.istio.io/excludeOutboundIPRanges: excludeIPRanges invalid: failed parsing cidr '10.0.0.0/33': netip.ParsePrefix("10.0.0.0/33"): bad bits after slash: "33"`,
      'IST0125 Pod shop/web: Invalid annotation prometheus.istio.io/merge-metrics: strconv.ParseBool: parsing "yes": invalid syntax',
    ]);
    const good = pod(`readiness.status.sidecar.istio.io/periodSeconds: "10"\nsidecar.istio.io/interceptionMode: TPROXY\ntraffic.sidecar.istio.io/excludeOutboundIPRanges: 10.0.0.0/8,fd00::/8\ntraffic.sidecar.istio.io/includeInboundPorts: "*"\nprometheus.istio.io/merge-metrics: "false"\nproxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }"`);
    expect(analyzeYaml(good, {}, CODES)).toEqual([]);
  });

  it("takes what Istio sets itself on a Pod as the Pod annotations they are, and reports them elsewhere as Istio does", () => {
    expect(analyzeYaml(pod(`sidecar.istio.io/status: "{}"\nistio.io/rev: canary\ngateway.istio.io/controller-version: "5"`), {}, CODES)).toEqual([]);
    const service = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop, annotations: { istio.io/rev: canary, gateway.istio.io/controller-version: "5" } }
spec: { ports: [{ port: 80, name: http }] }
`;
    expect(analyzeYaml(service, {}, CODES)).toEqual(["IST0107 Service shop/web: Misplaced annotation: istio.io/rev can only be applied to Pod"]);
  });

  it("reports a deprecated annotation that is also misplaced twice, as Istio does", () => {
    const service = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop, annotations: { sidecar.istio.io/statsInclusionPrefixes: cluster.outbound } }
spec: { ports: [{ port: 80, name: http }] }
`;
    expect(analyzeYaml(service, {}, CODES)).toEqual([
      'IST0135 Service shop/web: Annotation "sidecar.istio.io/statsInclusionPrefixes" has been deprecated and may not work in future Istio versions.',
      "IST0107 Service shop/web: Misplaced annotation: sidecar.istio.io/statsInclusionPrefixes can only be applied to Pod",
    ]);
  });

  it("does not read annotations of kinds Istio's analyzer does not visit, nor a Deployment's pod template", () => {
    const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop, annotations: { sidecar.istio.io/proxyCPUs: "1" } }
spec:
  selector: { matchLabels: { app: db } }
  serviceName: db
  template:
    metadata: { labels: { app: db }, annotations: { sidecar.istio.io/nope: "1" } }
    spec: { containers: [{ name: db, image: db:1 }] }
`;
    expect(analyzeYaml(yaml, {}, CODES)).toEqual([]);
  });
});

describe("annotation values as injection validates them", () => {
  it.each([
    ["statusPort", "15020", undefined],
    ["statusPort", "70000", `excludeInboundPorts invalid: failed parsing port '70000': strconv.ParseUint: parsing "70000": value out of range`],
    ["excludeInboundPorts", "15020, 15021", undefined],
    ["excludeInboundPorts", "15020,http", `excludeInboundPorts invalid: failed parsing port 'http': failed parsing port 'http': strconv.ParseUint: parsing "http": invalid syntax`],
    ["includeInboundPorts", "*", undefined],
    ["includeIPRanges", "*", undefined],
    ["includeIPRanges", "10.0.0.1", `includeIPRanges invalid: failed parsing cidr '10.0.0.1': netip.ParsePrefix("10.0.0.1"): no '/'`],
    ["excludeIPRanges", "", undefined],
    ["uint32", "4294967296", 'strconv.ParseUint: parsing "4294967296": value out of range'],
    ["bool", "True", undefined],
    ["proxyConfig", "[1, 2]", "failed to convert to apply proxy config: not a ProxyConfig mapping"],
  ] as const)("%s %j", (kind, value, problem) => {
    expect(annotationValueProblem(kind, value)).toBe(problem);
  });
});
