import { describe, expect, it } from "vitest";
import { diagnosticsOf, specOf } from "../../support/mesh-routing.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const HOST = "frontend.shop.svc.cluster.local";

describe("fault-injection trait", () => {
  it("renders VirtualService C with the fault rule first, then the default route for all other requests", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: fault-injection
  properties:
    match:
      headers:
        x-chaos: { exact: delay }
    delay: { fixedDelay: 3s, percent: 50 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(yamlOf(result, "VirtualService", "DestinationRule")).toMatchInlineSnapshot(`
      "apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        hosts:
          - frontend.shop.svc.cluster.local
        http:
          - name: fault-injection
            match:
              - headers:
                  x-chaos:
                    exact: delay
            fault:
              delay:
                fixedDelay: 3s
                percentage:
                  value: 50
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
          - name: default
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
      "
    `);
  });

  it("renders abort and delay together, each at 100% of the matched requests unless a percent is given", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: fault-injection
  properties:
    match:
      headers:
        x-test-user: { prefix: chaos- }
        end-user: { exact: tester }
    delay: { fixedDelay: 250ms }
    abort: { httpStatus: 503, percent: 12.5 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(specOf(result, "VirtualService", "frontend")).toEqual({
      hosts: [HOST],
      http: [
        {
          name: "fault-injection",
          // Header names sorted, so reordering them in the manifest does not change the output.
          match: [{ headers: { "end-user": { exact: "tester" }, "x-test-user": { prefix: "chaos-" } } }],
          fault: { delay: { fixedDelay: "250ms", percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 12.5 } } },
          route: [{ destination: { host: HOST } }],
        },
        { name: "default", route: [{ destination: { host: HOST } }] },
      ],
    });
  });

  it("records what it wrote, at the trait's line", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: abort } } }
    abort: { httpStatus: 500 }`),
    });
    const virtualService = ofKind(result, "VirtualService", "frontend")[0];
    expect(virtualService?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "fault-injection" });
    expect(virtualService?.sources).toEqual([
      {
        file: "app.yaml",
        line: 15,
        trait: "fault-injection",
        paths: ["/spec/hosts", "/spec/http/0/name", "/spec/http/0/match", "/spec/http/0/fault", "/spec/http/0/route", "/spec/http/1/route"],
      },
    ]);
  });

  it("gets no timeout or retries from http-resilience (Istio disables both on a fault rule), while the rules after it do", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: http-resilience
  properties:
    timeout: 2s
    retries: { attempts: 3 }
- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: abort } } }
    abort: { httpStatus: 503 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    const [fault, fallback] = (specOf(result, "VirtualService", "frontend")?.http ?? []) as Record<string, unknown>[];
    expect(Object.keys(fault ?? {})).toEqual(["name", "match", "fault", "route"]);
    expect(fallback).toEqual({ name: "default", route: [{ destination: { host: HOST } }], timeout: "2s", retries: { attempts: 3 } });
  });

  it("sends the faulted requests to the same weighted subsets as the default route", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: abort } } }
    abort: { httpStatus: 503 }
- type: traffic-split
  properties:
    subsets:
      - { name: stable, labels: { version: v1 }, weight: 80 }
      - { name: canary, labels: { version: v2 }, weight: 20 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    const http = (specOf(result, "VirtualService", "frontend")?.http ?? []) as Record<string, unknown>[];
    const weighted = [
      { destination: { host: HOST, subset: "stable" }, weight: 80 },
      { destination: { host: HOST, subset: "canary" }, weight: 20 },
    ];
    expect(http.map((rule) => [rule.name, rule.route])).toEqual([
      ["fault-injection", weighted],
      ["default", weighted],
    ]);
  });

  it("leaves the ingress VirtualService alone: faults are injected on mesh traffic only", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: abort } } }
    abort: { httpStatus: 500 }
- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }`),
    });
    expect(errorsOf(result)).toEqual([]);
    const http = specOf(result, "VirtualService", "frontend-ingress")?.http;
    expect(http).toEqual([{ name: "ingress-0-default", match: [{ uri: { prefix: "/" } }], route: [{ destination: { host: HOST, port: { number: 8080 } } }] }]);
  });

  describe("errors", () => {
    const errors = (traitYaml: string): [number, string][] =>
      diagnosticsOf(renderFiles({ "app.yaml": appWithTraits(traitYaml) }), "error").map(([line, message]) => [line, message.replace(/^shop\/frontend: /, "")]);

    it("requires a header match: an unconditional fault would take every request", () => {
      expect(errors("- type: fault-injection\n  properties:\n    abort: { httpStatus: 503 }")).toEqual([[16, "invalid `fault-injection` properties: missing required key `match`"]]);
      expect(errors("- type: fault-injection\n  properties:\n    match: {}\n    abort: { httpStatus: 503 }")).toEqual([
        [17, "invalid `fault-injection` properties: missing required key `headers` in `match`"],
      ]);
      expect(errors("- type: fault-injection\n  properties:\n    match: { headers: {} }\n    abort: { httpStatus: 503 }")).toEqual([
        [17, "invalid `fault-injection` properties: `match.headers` must not be empty"],
      ]);
    });

    it("rejects header names that are not lower case, as Istio requires", () => {
      const found = errors("- type: fault-injection\n  properties:\n    match: { headers: { X-Chaos: { exact: a } } }\n    abort: { httpStatus: 503 }");
      expect(found.length).toBeGreaterThan(0);
      expect(found.every(([line, message]) => line === 17 && message.startsWith("invalid `fault-injection` properties: `match.headers`"))).toBe(true);
      expect(found.some(([, message]) => message.includes('"X-Chaos"'))).toBe(true);
    });

    it("requires a delay or an abort", () => {
      expect(errors("- type: fault-injection\n  properties:\n    match: { headers: { x-chaos: { exact: a } } }")).toEqual([
        [16, "invalid `fault-injection` properties: the value is not allowed here: give delay, abort or both"],
      ]);
    });

    it("rejects unknown keys, wrong types and out-of-range values at their lines", () => {
      expect(errors(`- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: a } }, uri: { prefix: / } }
    delay: { fixedDelay: 5 }
    abort: { httpStatus: 700, percent: 101 }`)).toEqual([
        [17, "invalid `fault-injection` properties: unknown key `uri` in `match`; allowed: headers"],
        [18, "invalid `fault-injection` properties: `delay.fixedDelay` must be a string (got number 5)"],
        [19, "invalid `fault-injection` properties: `abort.httpStatus` must be <= 599 (got 700)"],
        [19, "invalid `fault-injection` properties: `abort.percent` must be <= 100 (got 101)"],
      ]);
      expect(errors("- type: fault-injection\n  properties:\n    match: { headers: { x-chaos: { exact: a } } }\n    delay: { fixedDelay: 3 seconds }")).toEqual([
        [18, "invalid `fault-injection` properties: `delay.fixedDelay` \"3 seconds\" is not a duration of at least 1ms in whole milliseconds, such as 250ms, 5s, 1m or 1h"],
      ]);
    });

    it("rejects a delay Istio would reject (under 1ms), and renders nothing", () => {
      for (const fixedDelay of ["0s", "0.5ms"]) {
        const result = renderFiles({ "app.yaml": appWithTraits(`- type: fault-injection\n  properties:\n    match: { headers: { x-chaos: { exact: a } } }\n    delay: { fixedDelay: ${fixedDelay} }`) });
        expect(diagnosticsOf(result, "error")).toEqual([[18, expect.stringContaining(`\`delay.fixedDelay\` "${fixedDelay}" is not a duration of at least 1ms`) as string]]);
        expect(ofKind(result, "VirtualService")).toEqual([]);
      }
    });
  });
});
