import { describe, expect, it } from "vitest";
import { diagnosticsOf, specOf } from "../../support/mesh-routing.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const HOST = "frontend.shop.svc.cluster.local";

const canary = `- type: traffic-split
  properties:
    subsets:
      - name: stable
        labels: { version: v1 }
        weight: 90
      - name: canary
        labels: { version: v2 }
        weight: 10`;

describe("traffic-split trait", () => {
  it("renders DestinationRule C with the subsets and VirtualService C with the weighted route", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(canary) });
    expect(errorsOf(result)).toEqual([]);
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
      "
    `);
  });

  it("puts header-routed rules before the weighted default, and mirrors from the default only", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`${canary}
    match:
      - headers: { x-canary: { exact: "true" } }
        subset: canary
      - headers: { cookie: { regex: ".*beta=1.*" }, x-region: { prefix: eu- } }
        subset: stable
    mirror: { subset: canary }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(specOf(result, "VirtualService", "frontend")).toEqual({
      hosts: [HOST],
      http: [
        { name: "header-0", match: [{ headers: { "x-canary": { exact: "true" } } }], route: [{ destination: { host: HOST, subset: "canary" } }] },
        {
          name: "header-1",
          match: [{ headers: { cookie: { regex: ".*beta=1.*" }, "x-region": { prefix: "eu-" } } }],
          route: [{ destination: { host: HOST, subset: "stable" } }],
        },
        {
          name: "default",
          route: [
            { destination: { host: HOST, subset: "stable" }, weight: 90 },
            { destination: { host: HOST, subset: "canary" }, weight: 10 },
          ],
          // Percent defaults to 100: a mirror without one copies every request.
          mirror: { host: HOST, subset: "canary" },
          mirrorPercentage: { value: 100 },
        },
      ],
    });
    expect(specOf(result, "DestinationRule", "frontend")).toEqual({
      host: HOST,
      subsets: [
        { name: "stable", labels: { version: "v1" } },
        { name: "canary", labels: { version: "v2" } },
      ],
    });
  });

  it("records which paths it wrote in both resources", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(`${canary}\n    mirror: { subset: canary, percent: 5 }`) });
    const destinationRule = ofKind(result, "DestinationRule", "frontend")[0];
    expect(destinationRule?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "traffic-split" });
    expect(destinationRule?.sources).toEqual([{ file: "app.yaml", line: 15, trait: "traffic-split", paths: ["/spec/host", "/spec/subsets"] }]);
    expect(ofKind(result, "VirtualService", "frontend")[0]?.sources).toEqual([
      { file: "app.yaml", line: 15, trait: "traffic-split", paths: ["/spec/hosts", "/spec/http/0/route", "/spec/http/0/mirror", "/spec/http/0/mirrorPercentage"] },
    ]);
  });

  it("routes ingress traffic by the same weights and header rules, to the ingress route's port, mirror included", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(
        `${canary}
    match:
      - headers: { x-canary: { exact: "true" } }
        subset: canary
    mirror: { subset: canary, percent: 5 }
- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - { prefix: /api, port: 8081 }`,
        { ports: "ports: [{ port: 8080 }, { port: 8081 }]" },
      ),
    });
    expect(errorsOf(result)).toEqual([]);
    const at8081 = { number: 8081 };
    expect(specOf(result, "VirtualService", "frontend-ingress")?.http).toEqual([
      {
        name: "ingress-0-header-0",
        match: [{ uri: { prefix: "/api" }, headers: { "x-canary": { exact: "true" } } }],
        route: [{ destination: { host: HOST, subset: "canary", port: at8081 } }],
      },
      {
        name: "ingress-0-default",
        match: [{ uri: { prefix: "/api" } }],
        route: [
          { destination: { host: HOST, subset: "stable", port: at8081 }, weight: 90 },
          { destination: { host: HOST, subset: "canary", port: at8081 }, weight: 10 },
        ],
        // With two service ports, a gateway would send a port-less mirror to its own port 443.
        mirror: { host: HOST, subset: "canary", port: at8081 },
        mirrorPercentage: { value: 5 },
      },
    ]);
  });

  it("leaves weights that do not sum to 100 to rule TRAF-002, and renders them as given", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(canary.replace("weight: 10", "weight: 30")) });
    expect(result.diagnostics.filter((d) => d.severity !== "notice")).toEqual([]);
    const weights = (specOf(result, "VirtualService", "frontend")?.http as { route: { weight: number }[] }[])[0]?.route.map((r) => r.weight);
    expect(weights).toEqual([90, 30]);
  });

  describe("errors, after which the trait renders nothing", () => {
    it("a match or mirror naming a subset that is not defined, and a subset defined twice", () => {
      const result = renderFiles({
        "app.yaml": appWithTraits(`${canary}
      - name: canary
        labels: { version: v3 }
        weight: 0
    match:
      - headers: { x-canary: { exact: "true" } }
        subset: canray
    mirror: { subset: shadow }`),
      });
      expect(diagnosticsOf(result, "error")).toEqual([
        [24, "shop/frontend: traffic-split: subset `canary` is defined twice"],
        [29, "shop/frontend: traffic-split: match routes to subset `canray`, which `subsets` does not define"],
        [30, "shop/frontend: traffic-split: mirror targets subset `shadow`, which `subsets` does not define"],
      ]);
      expect(ofKind(result, "VirtualService")).toEqual([]);
      expect(ofKind(result, "DestinationRule")).toEqual([]);
    });

    it("several subsets that all weigh 0, which Istio rejects", () => {
      const result = renderFiles({ "app.yaml": appWithTraits(canary.replace("weight: 90", "weight: 0").replace("weight: 10", "weight: 0")) });
      expect(diagnosticsOf(result, "error")).toEqual([[17, expect.stringContaining("every subset has weight 0: Istio rejects a route whose destinations weigh 0 in total") as string]]);
      expect(ofKind(result, "VirtualService")).toEqual([]);
    });

    it("a single subset at weight 0 is fine: a lone destination takes all traffic", () => {
      const result = renderFiles({ "app.yaml": appWithTraits("- type: traffic-split\n  properties:\n    subsets: [{ name: v1, labels: { version: v1 }, weight: 0 }]") });
      expect(errorsOf(result)).toEqual([]);
    });
  });

  describe("property schema", () => {
    const schemaErrors = (traitYaml: string): [number, string][] =>
      diagnosticsOf(renderFiles({ "app.yaml": appWithTraits(traitYaml) }), "error").map(([line, message]) => [line, message.replace("shop/frontend: invalid `traffic-split` properties: ", "")]);

    it("requires subsets, each with name, labels and an integer weight", () => {
      expect(schemaErrors("- type: traffic-split\n  properties:\n    mirror: { subset: v1 }")).toEqual([[16, "missing required key `subsets`"]]);
      expect(schemaErrors(`- type: traffic-split
  properties:
    subsets:
      - name: v1
        weight: 50.5
      - { name: V2, labels: { version: v2 }, weight: 50, version: v2 }`)).toEqual([
        [18, "missing required key `labels` in `subsets.0`"],
        [19, "`subsets.0.weight` must be an integer (got number 50.5)"],
        [20, "unknown key `version` in `subsets.1`; allowed: name, labels, weight"],
        [20, "`subsets.1.name` \"V2\" is not in the expected form (lower-case letters, digits and '-', starting and ending with a letter or digit)"],
      ]);
    });

    it("rejects an unknown key and a mirror percent over 100", () => {
      expect(schemaErrors(`${canary}\n    mirror: { subset: canary, percent: 150 }\n    weights: [90, 10]`)).toEqual([
        [24, "`mirror.percent` must be <= 100 (got 150)"],
        [25, "unknown key `weights`; allowed: subsets, match, mirror"],
      ]);
    });
  });
});
