import { describe, expect, it } from "vitest";
import { diagnosticsOf, specOf } from "../../support/mesh-routing.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const HOST = "frontend.shop.svc.cluster.local";

describe("http-resilience trait", () => {
  it("creates VirtualService C with a default route carrying the timeout and retries", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: http-resilience
  properties:
    timeout: 10s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,reset,connect-failure`),
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
          - name: default
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
            timeout: 10s
            retries:
              attempts: 3
              perTryTimeout: 2s
              retryOn: 5xx,reset,connect-failure
      "
    `);
    const virtualService = ofKind(result, "VirtualService", "frontend")[0];
    expect(virtualService?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "http-resilience" });
    expect(virtualService?.sources).toEqual([
      { file: "app.yaml", line: 15, trait: "http-resilience", paths: ["/spec/hosts", "/spec/http/0/route", "/spec/http/0/timeout", "/spec/http/0/retries"] },
    ]);
  });

  it("renders only what is set: a timeout alone leaves Istio's default retries, attempts 0 turns retries off", () => {
    const timeoutOnly = renderFiles({ "app.yaml": appWithTraits("- type: http-resilience\n  properties:\n    timeout: 1.5s") });
    expect(specOf(timeoutOnly, "VirtualService", "frontend")?.http).toEqual([{ name: "default", route: [{ destination: { host: HOST } }], timeout: "1.5s" }]);

    const noRetries = renderFiles({ "app.yaml": appWithTraits("- type: http-resilience\n  properties:\n    retries: { attempts: 0 }") });
    expect(specOf(noRetries, "VirtualService", "frontend")?.http).toEqual([{ name: "default", route: [{ destination: { host: HOST } }], retries: { attempts: 0 } }]);
  });

  it("sets the timeout and retries on every rule of C-ingress too", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - { prefix: /api }
      - { prefix: / }
- type: http-resilience
  properties:
    timeout: 5s
    retries: { attempts: 2 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    const rules = (specOf(result, "VirtualService", "frontend-ingress")?.http ?? []) as Record<string, unknown>[];
    expect(rules.map((r) => [r.name, r.timeout, r.retries])).toEqual([
      ["ingress-0-default", "5s", { attempts: 2 }],
      ["ingress-1-default", "5s", { attempts: 2 }],
    ]);
    expect(ofKind(result, "VirtualService", "frontend-ingress")[0]?.sources).toEqual([
      { file: "app.yaml", line: 15, trait: "mesh-ingress", paths: ["/spec/hosts", "/spec/gateways", "/spec/http/0/match", "/spec/http/0/route", "/spec/http/1/match", "/spec/http/1/route"] },
      { file: "app.yaml", line: 22, trait: "http-resilience", paths: ["/spec/http/0/timeout", "/spec/http/0/retries", "/spec/http/1/timeout", "/spec/http/1/retries"] },
    ]);
  });

  describe("errors", () => {
    const errors = (traitYaml: string): [number, string][] =>
      diagnosticsOf(renderFiles({ "app.yaml": appWithTraits(traitYaml) }), "error").map(([line, message]) => [line, message.replace(/^shop\/frontend: /, "")]);

    it("needs a timeout, retries or both", () => {
      expect(errors("- type: http-resilience\n  properties: {}")).toEqual([[16, "invalid `http-resilience` properties: the value must not be empty: set timeout, retries or both"]]);
    });

    it("rejects unknown keys, missing attempts and malformed durations at their lines", () => {
      expect(errors(`- type: http-resilience
  properties:
    timeout: 10
    retries:
      perTryTimeout: 2 s
      backoff: 1s`)).toEqual([
        [17, "invalid `http-resilience` properties: `timeout` must be a string (got number 10)"],
        [18, "invalid `http-resilience` properties: missing required key `attempts` in `retries`"],
        [19, "invalid `http-resilience` properties: `retries.perTryTimeout` \"2 s\" is not a duration of at least 1ms in whole milliseconds, such as 250ms, 5s, 1m or 1h"],
        [20, "invalid `http-resilience` properties: unknown key `backoff` in `retries`; allowed: attempts, perTryTimeout, retryOn"],
      ]);
    });

    it("rejects durations under Istio's 1ms minimum (0s no longer disables a timeout), and renders nothing", () => {
      const result = renderFiles({ "app.yaml": appWithTraits("- type: http-resilience\n  properties:\n    timeout: 0s\n    retries: { attempts: 2, perTryTimeout: 0.1ms }") });
      expect(diagnosticsOf(result, "error")).toEqual([
        [17, expect.stringContaining('`timeout` "0s" is not a duration of at least 1ms') as string],
        [18, expect.stringContaining('`retries.perTryTimeout` "0.1ms" is not a duration of at least 1ms') as string],
      ]);
      expect(ofKind(result, "VirtualService")).toEqual([]);
    });
  });
});
