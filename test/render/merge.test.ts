import { describe, expect, it } from "vitest";
import type { Contribution, RenderResult } from "../../src/core/types.js";
import { specOf } from "../support/mesh-routing.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../support/render.js";

const HOST = "frontend.shop.svc.cluster.local";

// Each trait is 6 lines long, so that its line in the manifest is 15 + 6 × its position.
const TRAITS = {
  "traffic-split": `- type: traffic-split
  properties:
    subsets: [{ name: stable, labels: { version: v1 }, weight: 90 }, { name: canary, labels: { version: v2 }, weight: 10 }]
    match: [{ headers: { x-canary: { exact: "true" } }, subset: canary }]
    mirror: { subset: canary, percent: 20 }
  # canary rollout`,
  "http-resilience": `- type: http-resilience
  properties:
    timeout: 4s
    retries:
      attempts: 2
      perTryTimeout: 1s`,
  "fault-injection": `- type: fault-injection
  properties:
    match: { headers: { x-chaos: { exact: "1" } } }
    delay: { fixedDelay: 2s }
    abort: { httpStatus: 503, percent: 10 }
  # chaos tests only`,
  "mesh-ingress": `- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes: [{ prefix: /api/, rewrite: / }, { prefix: / }]
  # public`,
} as const;

type TraitType = keyof typeof TRAITS;

function renderInOrder(order: readonly TraitType[]): RenderResult {
  return renderFiles({ "app.yaml": appWithTraits(order.map((t) => TRAITS[t]).join("\n")) });
}

/** The paths each trait wrote, by trait type: what must not depend on where the trait stands. */
function contributionsByTrait(sources: Contribution[] | undefined): Record<string, string[]> {
  return Object.fromEntries((sources ?? []).map((s) => [s.trait, s.paths]));
}

const ORDER: readonly TraitType[] = ["traffic-split", "http-resilience", "fault-injection", "mesh-ingress"];
const lineOf = (type: TraitType, order: readonly TraitType[] = ORDER): number => 15 + 6 * order.indexOf(type);

describe("several traits shaping VirtualService C, C-ingress and DestinationRule C", () => {
  const result = renderInOrder(ORDER);

  it("renders the merged resources", () => {
    expect(result.diagnostics.filter((d) => d.severity !== "notice")).toEqual([]);
    expect(yamlOf(result, "DestinationRule", "VirtualService")).toMatchInlineSnapshot(`
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
        subsets:
          - name: stable
            labels:
              version: v1
          - name: canary
            labels:
              version: v2
      ---
      apiVersion: networking.istio.io/v1
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
                    exact: "1"
            fault:
              delay:
                fixedDelay: 2s
                percentage:
                  value: 100
              abort:
                httpStatus: 503
                percentage:
                  value: 10
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: stable
                weight: 90
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                weight: 10
          - name: header-0
            match:
              - headers:
                  x-canary:
                    exact: "true"
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
          - name: default
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: stable
                weight: 90
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                weight: 10
            mirror:
              host: frontend.shop.svc.cluster.local
              subset: canary
            mirrorPercentage:
              value: 20
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: frontend-ingress
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        hosts:
          - shop.example.com
        gateways:
          - shop/frontend-gw
        http:
          - name: ingress-0-header-0
            match:
              - uri:
                  prefix: /api/
                headers:
                  x-canary:
                    exact: "true"
            rewrite:
              uri: /
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                  port:
                    number: 8080
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
          - name: ingress-0-default
            match:
              - uri:
                  prefix: /api/
            rewrite:
              uri: /
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: stable
                  port:
                    number: 8080
                weight: 90
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                  port:
                    number: 8080
                weight: 10
            mirror:
              host: frontend.shop.svc.cluster.local
              subset: canary
              port:
                number: 8080
            mirrorPercentage:
              value: 20
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
          - name: ingress-1-header-0
            match:
              - uri:
                  prefix: /
                headers:
                  x-canary:
                    exact: "true"
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                  port:
                    number: 8080
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
          - name: ingress-1-default
            match:
              - uri:
                  prefix: /
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: stable
                  port:
                    number: 8080
                weight: 90
              - destination:
                  host: frontend.shop.svc.cluster.local
                  subset: canary
                  port:
                    number: 8080
                weight: 10
            mirror:
              host: frontend.shop.svc.cluster.local
              subset: canary
              port:
                number: 8080
            mirrorPercentage:
              value: 20
            timeout: 4s
            retries:
              attempts: 2
              perTryTimeout: 1s
      "
    `);
  });

  it("places the fault rule first in C, with the weighted destinations and without timeout or retries", () => {
    const http = (specOf(result, "VirtualService", "frontend")?.http ?? []) as Record<string, unknown>[];
    const weighted = [
      { destination: { host: HOST, subset: "stable" }, weight: 90 },
      { destination: { host: HOST, subset: "canary" }, weight: 10 },
    ];
    const resilience = { timeout: "4s", retries: { attempts: 2, perTryTimeout: "1s" } };
    expect(http).toEqual([
      {
        name: "fault-injection",
        match: [{ headers: { "x-chaos": { exact: "1" } } }],
        fault: { delay: { fixedDelay: "2s", percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 10 } } },
        route: weighted,
      },
      { name: "header-0", match: [{ headers: { "x-canary": { exact: "true" } } }], route: [{ destination: { host: HOST, subset: "canary" } }], ...resilience },
      { name: "default", route: weighted, mirror: { host: HOST, subset: "canary" }, mirrorPercentage: { value: 20 }, ...resilience },
    ]);
  });

  it("expands every ingress route into the header rules and the weighted default, each with resilience and no fault", () => {
    const http = (specOf(result, "VirtualService", "frontend-ingress")?.http ?? []) as Record<string, unknown>[];
    expect(http.map((rule) => [rule.name, rule.match, rule.rewrite, rule.timeout, "fault" in rule])).toEqual([
      ["ingress-0-header-0", [{ uri: { prefix: "/api/" }, headers: { "x-canary": { exact: "true" } } }], { uri: "/" }, "4s", false],
      ["ingress-0-default", [{ uri: { prefix: "/api/" } }], { uri: "/" }, "4s", false],
      ["ingress-1-header-0", [{ uri: { prefix: "/" }, headers: { "x-canary": { exact: "true" } } }], undefined, "4s", false],
      ["ingress-1-default", [{ uri: { prefix: "/" } }], undefined, "4s", false],
    ]);
  });

  it("lists every contributing trait with the JSON pointers it wrote, at the trait's line", () => {
    const at = (type: TraitType): { file: string; line: number; trait: TraitType } => ({ file: "app.yaml", line: lineOf(type), trait: type });
    expect(ofKind(result, "DestinationRule", "frontend")[0]?.sources).toEqual([{ ...at("traffic-split"), paths: ["/spec/host", "/spec/subsets"] }]);

    const mesh = ofKind(result, "VirtualService", "frontend")[0];
    expect(mesh?.source).toEqual({ file: "app.yaml", line: lineOf("traffic-split"), app: "shop", component: "frontend", trait: "traffic-split" });
    expect(mesh?.sources).toEqual([
      {
        ...at("traffic-split"),
        paths: ["/spec/hosts", "/spec/http/0/route", "/spec/http/1/route", "/spec/http/1/match", "/spec/http/2/route", "/spec/http/2/mirror", "/spec/http/2/mirrorPercentage"],
      },
      { ...at("fault-injection"), paths: ["/spec/http/0/name", "/spec/http/0/match", "/spec/http/0/fault"] },
      { ...at("http-resilience"), paths: ["/spec/http/1/timeout", "/spec/http/1/retries", "/spec/http/2/timeout", "/spec/http/2/retries"] },
    ]);

    const ingress = ofKind(result, "VirtualService", "frontend-ingress")[0];
    expect(ingress?.source).toEqual({ file: "app.yaml", line: lineOf("mesh-ingress"), app: "shop", component: "frontend", trait: "mesh-ingress" });
    expect(ingress?.sources).toEqual([
      {
        ...at("mesh-ingress"),
        paths: ["/spec/hosts", "/spec/gateways", "/spec/http/0/match", "/spec/http/0/rewrite", "/spec/http/1/match", "/spec/http/1/rewrite", "/spec/http/2/match", "/spec/http/3/match"],
      },
      {
        ...at("traffic-split"),
        paths: ["/spec/http/0/route", "/spec/http/0/match", "/spec/http/1/route", "/spec/http/1/mirror", "/spec/http/1/mirrorPercentage", "/spec/http/2/route", "/spec/http/2/match", "/spec/http/3/route", "/spec/http/3/mirror", "/spec/http/3/mirrorPercentage"],
      },
      {
        ...at("http-resilience"),
        paths: ["/spec/http/0/timeout", "/spec/http/0/retries", "/spec/http/1/timeout", "/spec/http/1/retries", "/spec/http/2/timeout", "/spec/http/2/retries", "/spec/http/3/timeout", "/spec/http/3/retries"],
      },
    ]);
  });

  it("renders the same resources and contributions whatever the order of the traits", () => {
    const reversed = [...ORDER].reverse();
    const rotated = [...ORDER.slice(2), ...ORDER.slice(0, 2)];
    for (const order of [reversed, rotated]) {
      const other = renderInOrder(order);
      expect(errorsOf(other)).toEqual([]);
      expect(yamlOf(other)).toEqual(yamlOf(result));
      for (const [kind, name] of [["DestinationRule", "frontend"], ["VirtualService", "frontend"], ["VirtualService", "frontend-ingress"]] as const) {
        const mine = ofKind(other, kind, name)[0];
        const reference = ofKind(result, kind, name)[0];
        expect(contributionsByTrait(mine?.sources)).toEqual(contributionsByTrait(reference?.sources));
        // The same trait comes first, found at its new line.
        expect(mine?.source.trait).toBe(reference?.source.trait);
        expect(mine?.source.line).toBe(lineOf(reference?.source.trait as TraitType, order));
      }
    }
  });

  it("drops exactly one trait's fields when that trait is removed", () => {
    const withoutResilience = renderInOrder(ORDER.filter((t) => t !== "http-resilience"));
    const strip = (text: string): string => text.replace(/^ *(timeout: 4s|retries:|attempts: 2|perTryTimeout: 1s)\n/gm, "");
    expect(yamlOf(withoutResilience)).toEqual(strip(yamlOf(result)));
    expect(yamlOf(withoutResilience)).not.toEqual(yamlOf(result));
  });
});
