import { describe, expect, it } from "vitest";
import { analyzeYaml } from "./analyze-files.js";

const CODES = ["IST0002"];

function virtualService(http: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec:
  hosts: [api]
  http:
${http.replace(/^/gm, "    ")}
`;
}

describe("deprecated fields (deprecation.FieldAnalyzer)", () => {
  it("reports every route whose fault delay uses the integer percent, and none that uses percentage or a zero percent", () => {
    const yaml = virtualService(`- fault: { delay: { percent: 50, fixedDelay: 2s } }
  route: [{ destination: { host: api } }]
- fault: { delay: { percent: 0, fixedDelay: 2s } }
  route: [{ destination: { host: api } }]
- fault: { delay: { percentage: { value: 5 }, fixedDelay: 2s } }
  route: [{ destination: { host: api } }]
- fault: { delay: { percent: 5, fixedDelay: 2s } }
  route: [{ destination: { host: api } }]`);
    expect(analyzeYaml(yaml, {}, CODES)).toEqual([
      "IST0002 VirtualService shop/api: Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
      "IST0002 VirtualService shop/api: Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
    ]);
  });

  it("reports a Sidecar's egressProxy, which the proxy ignores, and not an outbound policy without one", () => {
    const sidecar = (policy: string): string => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec:
  outboundTrafficPolicy: ${policy}
`;
    expect(analyzeYaml(sidecar("{ mode: REGISTRY_ONLY, egressProxy: { host: squid.shop.svc.cluster.local, port: { number: 3128 } } }"), {}, CODES)).toEqual([
      "IST0002 Sidecar shop/default: Deprecated: OutboundTrafficPolicy.EgressProxy ignored",
    ]);
    expect(analyzeYaml(sidecar("{ mode: REGISTRY_ONLY }"), {}, CODES)).toEqual([]);
  });
});

describe("Lightstep tracing (telemetry.LightstepAnalyzer)", () => {
  const telemetry = `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: tracing, namespace: shop }
spec:
  tracing:
    - providers: [{ name: zipkin }]
    - providers: [{ name: ls }]
`;

  it("reports tracing to a provider the mesh config declares as Lightstep", () => {
    const mesh = { extensionProviders: [{ name: "ls", type: "lightstep" }, { name: "zipkin", type: "zipkin" }] };
    expect(analyzeYaml(telemetry, mesh, CODES)).toEqual(["IST0002 Telemetry shop/tracing: Deprecated: The Lightstep provider ls is deprecated, please use OpenTelemetry instead"]);
  });

  it("says nothing when the provider of that name is of another type, or the mesh declares none", () => {
    expect(analyzeYaml(telemetry, { extensionProviders: [{ name: "ls", type: "opentelemetry" }] }, CODES)).toEqual([]);
    expect(analyzeYaml(telemetry, {}, CODES)).toEqual([]);
  });
});
