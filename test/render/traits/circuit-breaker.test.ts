import { describe, expect, it } from "vitest";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const FULL = `- type: circuit-breaker
  properties:
    connectionPool:
      tcp:
        maxConnections: 100
        connectTimeout: 3s
      http:
        http1MaxPendingRequests: 10
        http2MaxRequests: 200
        maxRequestsPerConnection: 5
        maxRetries: 3
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: 50
    loadBalancer:
      simple: LEAST_REQUEST`;

describe("circuit-breaker trait", () => {
  it("renders DestinationRule C with the trait's trafficPolicy for the component's host", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(FULL) });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "DestinationRule")).toMatchInlineSnapshot(`
      "apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        host: frontend.shop.svc.cluster.local
        trafficPolicy:
          connectionPool:
            tcp:
              maxConnections: 100
              connectTimeout: 3s
            http:
              http1MaxPendingRequests: 10
              http2MaxRequests: 200
              maxRequestsPerConnection: 5
              maxRetries: 3
          outlierDetection:
            consecutive5xxErrors: 5
            interval: 10s
            baseEjectionTime: 30s
            maxEjectionPercent: 50
          loadBalancer:
            simple: LEAST_REQUEST
      "
    `);
    expect(ofKind(result, "DestinationRule", "frontend")[0]?.object.spec).toEqual({
      host: "frontend.shop.svc.cluster.local",
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: "3s" },
          http: { http1MaxPendingRequests: 10, http2MaxRequests: 200, maxRequestsPerConnection: 5, maxRetries: 3 },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
        loadBalancer: { simple: "LEAST_REQUEST" },
      },
    });
  });

  it("records the trait as the source of the DestinationRule and of the fields it wrote", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(FULL) });
    const [destinationRule] = ofKind(result, "DestinationRule", "frontend");
    expect(destinationRule?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "circuit-breaker" });
    expect(destinationRule?.sources).toEqual([{ file: "app.yaml", line: 15, trait: "circuit-breaker", paths: ["/spec/host", "/spec/trafficPolicy"] }]);
  });

  it("renders only the fields given, in a fixed order whatever the YAML's order", () => {
    const written = renderFiles({
      "app.yaml": appWithTraits(`- type: circuit-breaker
  properties:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { maxEjectionPercent: 20, consecutive5xxErrors: 0 }
    connectionPool: { http: { maxRetries: 1 }, tcp: { connectTimeout: 250ms } }`),
    });
    const canonical = renderFiles({
      "app.yaml": appWithTraits(`- type: circuit-breaker
  properties:
    connectionPool: { tcp: { connectTimeout: 250ms }, http: { maxRetries: 1 } }
    outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 20 }
    loadBalancer: { simple: ROUND_ROBIN }`),
    });
    expect(errorsOf(written)).toEqual([]);
    expect(yamlOf(written, "DestinationRule")).toBe(yamlOf(canonical, "DestinationRule"));
    expect(ofKind(written, "DestinationRule")[0]?.object.spec?.trafficPolicy).toEqual({
      connectionPool: { tcp: { connectTimeout: "250ms" }, http: { maxRetries: 1 } },
      // 0 is kept: it switches 5xx-based ejection off.
      outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 20 },
      loadBalancer: { simple: "ROUND_ROBIN" },
    });
  });

  it("shares DestinationRule C with traffic-split: subsets and trafficPolicy side by side, each traced to its trait", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: traffic-split
  properties:
    subsets:
      - { name: v1, labels: { version: v1 }, weight: 100 }
- type: circuit-breaker
  properties:
    outlierDetection: { consecutive5xxErrors: 3 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    const destinationRules = ofKind(result, "DestinationRule");
    expect(destinationRules).toHaveLength(1);
    expect(destinationRules[0]?.object.spec).toEqual({
      host: "frontend.shop.svc.cluster.local",
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } },
      subsets: [{ name: "v1", labels: { version: "v1" } }],
    });
    expect(destinationRules[0]?.sources).toEqual([
      { file: "app.yaml", line: 15, trait: "traffic-split", paths: ["/spec/host", "/spec/subsets"] },
      { file: "app.yaml", line: 19, trait: "circuit-breaker", paths: ["/spec/trafficPolicy"] },
    ]);
  });

  it("reports durations Istio rejects (under 1ms, finer than 1ms) at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: circuit-breaker
  properties:
    connectionPool:
      tcp:
        connectTimeout: 0s
    outlierDetection:
      interval: 1.5ms
      baseEjectionTime: 0.007s`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [19, expect.stringContaining("`connectionPool.tcp.connectTimeout` \"0s\" is not a duration of at least 1ms in whole milliseconds") as string],
      [21, expect.stringContaining("`outlierDetection.interval` \"1.5ms\" is not a duration of at least 1ms in whole milliseconds") as string],
    ]);
  });

  it("warns that HTTP pool limits do nothing on a component with no HTTP port", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: circuit-breaker
  properties:
    connectionPool:
      tcp: { maxConnections: 10 }
      http: { maxRetries: 1 }`, { ports: "ports: [{ port: 5432, appProtocol: tcp }]" }),
    });
    expect(result.diagnostics).toEqual([
      { file: "app.yaml", line: 18, severity: "warning", message: expect.stringContaining("`connectionPool.http` limits HTTP requests only, and frontend serves no HTTP port") as string },
    ]);
    expect(ofKind(result, "DestinationRule")[0]?.object.spec?.trafficPolicy).toEqual({ connectionPool: { tcp: { maxConnections: 10 }, http: { maxRetries: 1 } } });
  });

  it("reports a wrong type at its line and renders nothing", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker\n  properties:\n    connectionPool:\n      tcp:\n        maxConnections: \"100\"") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[19, expect.stringContaining("`connectionPool.tcp.maxConnections` must be an integer (got string \"100\")") as string]]);
    expect(ofKind(result, "DestinationRule")).toEqual([]);
  });

  it("rejects 0 as a limit, which Istio would read as unlimited", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker\n  properties:\n    connectionPool:\n      http:\n        http2MaxRequests: 0") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[19, expect.stringContaining("`connectionPool.http.http2MaxRequests` must be >= 1 (got 0)") as string]]);
  });

  it("reports an unknown key, naming the allowed ones", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker\n  properties:\n    outlierDetection:\n      consecutiveErrors: 5") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [18, expect.stringContaining("unknown key `consecutiveErrors` in `outlierDetection`; allowed: consecutive5xxErrors, interval, baseEjectionTime, maxEjectionPercent") as string],
    ]);
  });

  it("reports a missing required key and an unsupported algorithm", () => {
    const missing = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker\n  properties:\n    loadBalancer: {}") });
    expect(errorsOf(missing).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining("missing required key `simple` in `loadBalancer`") as string]]);
    const passthrough = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker\n  properties:\n    loadBalancer:\n      simple: PASSTHROUGH") });
    expect(errorsOf(passthrough).map((d) => [d.line, d.message])).toEqual([
      [18, expect.stringContaining('`loadBalancer.simple` must be one of "ROUND_ROBIN", "LEAST_REQUEST", "RANDOM" (got "PASSTHROUGH")') as string],
    ]);
  });

  it("rejects a trait with no settings, as Istio rejects an empty trafficPolicy", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: circuit-breaker") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[15, expect.stringContaining("must not be empty: set connectionPool, outlierDetection or loadBalancer") as string]]);
    expect(ofKind(result, "DestinationRule")).toEqual([]);
  });
});
