import { describe, expect, it } from "vitest";
import { diffRenders } from "../../../src/core/diff/diff-renders.js";
import { check } from "../../support/check.js";
import { ofKind, renderFiles } from "../../support/render.js";

function app(components: string, extra = ""): string {
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: book-info
  namespace: default
spec:
  components:
${components.replace(/^/gm, "    ").trimEnd()}
${extra}`;
}

const web = (traits: string, name = "productpage", props = "port: 9080"): string => `- name: ${name}
  type: webservice
  properties:
    image: example/app:1
    ${props}
  traits:
${traits.replace(/^/gm, "    ").trimEnd()}`;

const objects = (files: Record<string, string>, kind: string): unknown[] => ofKind(renderFiles(files), kind).map((r) => {
  const metadata = { ...r.object.metadata };
  delete metadata.labels;
  return { ...r.object, metadata };
});

describe("KubeVela's built-in traits, as their definitions render them", () => {
  // vela-templates/definitions/internal/trait/gateway.cue
  it("gateway: Service C with port-<n> ports and Ingress C; class istio in the annotation; no TLS without secretName", () => {
    const files = { "app.yaml": app(web(`- type: gateway\n  properties:\n    domain: shop.example.com\n    class: istio\n    http:\n      "/": 9080`)) };
    expect(objects(files, "Ingress")).toEqual([{
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "productpage", namespace: "default", annotations: { "kubernetes.io/ingress.class": "istio" } },
      spec: { rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", pathType: "ImplementationSpecific", backend: { service: { name: "productpage", port: { number: 9080 } } } }] } }] },
    }]);
    expect(objects(files, "Service")).toEqual([{
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "productpage", namespace: "default" },
      spec: { selector: { "app.oam.dev/component": "productpage" }, ports: [{ name: "port-9080", port: 9080, targetPort: 9080 }] },
    }]);
  });

  // vela-templates/definitions/internal/trait/gateway.cue (name, classInSpec, secretName)
  it("gateway: `name` suffixes both objects, classInSpec sets ingressClassName, secretName is TLS for the domain", () => {
    const files = { "app.yaml": app(web(`- type: gateway\n  properties:\n    name: api\n    domain: api.example.com\n    class: istio\n    classInSpec: true\n    secretName: api-tls\n    http:\n      "/api": 9080`)) };
    const [ingress] = objects(files, "Ingress") as { metadata: { name: string }; spec: unknown }[];
    expect(ingress?.metadata.name).toBe("productpage-api");
    expect(ingress?.spec).toEqual({
      ingressClassName: "istio",
      tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }],
      rules: [{ host: "api.example.com", http: { paths: [{ path: "/api", pathType: "ImplementationSpecific", backend: { service: { name: "productpage-api", port: { number: 9080 } } } }] } }],
    });
  });

  // vela-templates/definitions/internal/trait/expose.cue
  it("expose: Service C, ports named port-<n> (Istio sniffs them, TRAF-005), type as given", () => {
    const files = { "app.yaml": app(web(`- type: expose\n  properties:\n    port: [9080]\n    type: LoadBalancer`)) };
    expect(objects(files, "Service")).toEqual([{
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "productpage", namespace: "default", annotations: {} },
      spec: { selector: { "app.oam.dev/component": "productpage" }, ports: [{ name: "port-9080", port: 9080, targetPort: 9080 }], type: "LoadBalancer" },
    }]);
    const verdict = check({ base: {}, head: files });
    expect(verdict.findings.map((f) => f.rule)).toContain("TRAF-005");
  });

  // vela-templates/definitions/internal/component/webservice.cue
  it("webservice ports[].expose and exposeType: Service C of the exposed ports only", () => {
    const files = { "app.yaml": app(web("[]", "color", "exposeType: NodePort\n    ports:\n      - port: 3333\n        expose: true\n      - port: 9000")) };
    expect(objects(files, "Service")).toEqual([{
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "color", namespace: "default" },
      spec: { selector: { "app.oam.dev/component": "color" }, ports: [{ port: 3333, targetPort: 3333, name: "port-3333" }], type: "NodePort" },
    }]);
  });

  it("an inert built-in trait says so once for the whole render, not per use", () => {
    const result = renderFiles({ "app.yaml": app(`${web("- type: scaler\n  properties: { replicas: 2 }")}\n${web("- type: scaler\n  properties: { replicas: 3 }", "ratings")}`) });
    expect(result.diagnostics.map((d) => d.message)).toEqual(["traits known to have no mesh effect, not rendered: scaler (2 uses)"]);
  });

  it("a securitycontext trait running as the proxy's UID 1337 fails closed", () => {
    const result = renderFiles({ "app.yaml": app(web("- type: securitycontext\n  properties: { runAsUser: 1337 }")) });
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("runs a container as UID 1337")]);
  });

  it("an annotations trait setting sidecar.istio.io/inject fails closed", () => {
    const result = renderFiles({ "app.yaml": app(web(`- type: annotations\n  properties:\n    "sidecar.istio.io/inject": "false"`)) });
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("sets `sidecar.istio.io/…` on the workload")]);
  });
});

describe("the KubeVela catalog's Istio and Gateway API traits", () => {
  const gatewayTrait = (match: string): string => `- type: istio-gateway\n  properties:\n    hosts: ["*"]\n    gateway: ingressgateway\n${match}    port: 9080`;

  // vela-templates/addons/istio/definitions/gateway-trait-def.yaml: plain HTTP on port 80 only (defect kept)
  it("istio-gateway: Gateway C with one plain HTTP server on 80, VirtualService C with the uri matches", () => {
    const files = { "app.yaml": app(web(gatewayTrait("    match:\n      - exact: /productpage\n      - prefix: /static\n"))) };
    expect(objects(files, "Gateway")).toEqual([{
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "Gateway",
      metadata: { name: "productpage", namespace: "default" },
      spec: { selector: { istio: "ingressgateway" }, servers: [{ hosts: ["*"], port: { name: "http", number: 80, protocol: "HTTP" } }] },
    }]);
    expect(objects(files, "VirtualService")).toEqual([{
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      metadata: { name: "productpage", namespace: "default" },
      spec: { gateways: ["productpage"], hosts: ["*"], http: [{ match: [{ uri: { exact: "/productpage" } }, { uri: { prefix: "/static" } }], route: [{ destination: { host: "productpage", port: { number: 9080 } } }] }] },
    }]);
  });

  it("a new istio-gateway on * fails check with EDGE-001 and EDGE-003, and is noted as a new public host", () => {
    const verdict = check({ base: { "app.yaml": app(web("[]")) }, head: { "app.yaml": app(web(gatewayTrait(""))) } });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings.filter((f) => f.blocking).map((f) => f.rule)).toEqual(expect.arrayContaining(["EDGE-001", "EDGE-003"]));
    expect(verdict.changes.changes.flatMap((c) => c.notes.map((n) => n.message))).toContain("new public host * on gateway default/productpage — Gateway default/productpage, app.yaml:14 (istio-gateway trait)");
  });

  it("a widened istio-gateway route is a weakening note and a security-relevant change", () => {
    const base = renderFiles({ "app.yaml": app(web(gatewayTrait("    match:\n      - exact: /productpage\n"))) });
    const head = renderFiles({ "app.yaml": app(web(gatewayTrait("    match:\n      - prefix: /\n"))) });
    const notes = diffRenders(base, head).changes.flatMap((c) => c.notes);
    expect(notes.map((n) => `${n.effect} ${n.message}`)).toContain("weakens gateway route 0 of default/productpage matches prefix / (was exact /productpage): every path of its hosts is now reachable from the gateway — VirtualService default/productpage, app.yaml:14 (istio-gateway trait)");
  });

  // kubevela/catalog experimental/addons/istio/definitions/traffic-trait-def.yaml
  it("canary-traffic: Service C (unnamed port), VirtualService C and DestinationRule C with the revision subset", () => {
    const files = { "app.yaml": app(web("- type: canary-traffic\n  properties:\n    port: [9080]", "reviews")) };
    expect([...objects(files, "Service"), ...objects(files, "VirtualService"), ...objects(files, "DestinationRule")]).toEqual([
      { apiVersion: "v1", kind: "Service", metadata: { name: "reviews", namespace: "default" }, spec: { selector: { "app.oam.dev/component": "reviews" }, ports: [{ port: 9080, targetPort: 9080 }], type: "ClusterIP" } },
      { apiVersion: "networking.istio.io/v1alpha3", kind: "VirtualService", metadata: { name: "reviews", namespace: "default" }, spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews", port: { number: 9080 } } }] }] } },
      { apiVersion: "networking.istio.io/v1alpha3", kind: "DestinationRule", metadata: { name: "reviews", namespace: "default" }, spec: { host: "reviews", subsets: [{ name: "reviews-v1", labels: { "service.istio.io/canonical-name": "reviews-v1" } }] } },
    ]);
  });

  // kubevela/catalog experimental/addons/istio/resources/istio-vs.cue: tcp and exportTo dropped (defect kept)
  it("istio-vs renders hosts, gateways and http, and drops tcp and exportTo with a warning", () => {
    const result = renderFiles({ "app.yaml": app(web("- type: istio-vs\n  properties:\n    hosts: [reviews]\n    tcp: [{ route: [{ destination: { host: db } }] }]\n    exportTo: [\".\"]", "reviews")) });
    expect(ofKind(result, "VirtualService")[0]?.object.spec).toEqual({ hosts: ["reviews"] });
    expect(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual([expect.stringContaining("`tcp` is accepted"), expect.stringContaining("`exportTo` is accepted")]);
  });

  // kubevela/catalog experimental/addons/gateway-traits/definitions/http-route.cue: v1alpha2 (defect kept)
  it("http-route emits a v1alpha2 HTTPRoute, which the kinds registry does not serve: an error", () => {
    const result = renderFiles({ "app.yaml": app(web("- type: http-route\n  properties:\n    domains: [shop.example.com]\n    rules: [{ port: 9080 }]")) });
    expect(ofKind(result, "HTTPRoute")[0]?.object).toMatchObject({
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      spec: { parentRefs: [{ name: "traefik", namespace: "vela-system", sectionName: "web" }], hostnames: ["shop.example.com"], rules: [{ matches: [{}], backendRefs: [{ name: "productpage", port: 9080 }] }] },
    });
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("serves no HTTPRoute at gateway.networking.k8s.io/v1alpha2")]);
  });

  // kubevela/catalog addons/kruise-rollout/definitions/kruise-rollout.cue
  it("kruise-rollout: Rollout C on the component's Deployment, traffic through the HTTPRoute C", () => {
    const result = renderFiles({ "app.yaml": app(web("- type: kruise-rollout\n  properties:\n    canary:\n      steps: [{ weight: 20 }, { weight: 90, duration: 60 }]\n      trafficRoutings: [{ type: gateway }]")) });
    expect(ofKind(result, "Rollout")[0]?.object.spec).toEqual({
      objectRef: { workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "productpage" } },
      strategy: { canary: { steps: [{ weight: 20, pause: {} }, { weight: 90, pause: { duration: 60 } }], trafficRoutings: [{ service: "productpage", gracePeriodSeconds: 5, gateway: { httpRouteName: "productpage" } }] } },
    });
  });
});

const workflow = (first: [number, number]): string => `  workflow:
    steps:
      - name: rollout-1st-batch
        type: canary-rollout
        properties:
          batchPartition: 0
          traffic:
            weightedTargets:
              - revision: reviews-v1
                weight: ${first[0]}
              - revision: reviews-v2
                weight: ${first[1]}
      - name: manual-approval
        type: suspend
      - name: rollout-rest
        type: canary-rollout
        properties:
          batchPartition: 1
          traffic:
            weightedTargets:
              - revision: reviews-v2
                weight: 100`;

describe("canary-rollout workflow steps", () => {
  const reviews = web("- type: canary-traffic\n  properties:\n    port: [9080]", "reviews");

  // kubevela/catalog experimental/addons/istio/definitions/canary-rollout-wf-def.yaml
  it("render the first component's VirtualService and DestinationRule once per step, suspend steps as gates", () => {
    const result = renderFiles({ "app.yaml": app(reviews, workflow([90, 10])) });
    const services = ofKind(result, "VirtualService");
    expect(services.map((r) => [r.step?.name, r.step?.gates, r.object.spec?.http])).toEqual([
      ["rollout-1st-batch", [], [{ route: [{ destination: { host: "reviews", subset: "reviews-v1" }, weight: 90 }, { destination: { host: "reviews", subset: "reviews-v2" }, weight: 10 }] }]],
      ["rollout-rest", ["manual-approval"], [{ route: [{ destination: { host: "reviews", subset: "reviews-v2" }, weight: 100 }] }]],
    ]);
    expect(ofKind(result, "DestinationRule").map((r) => r.object.spec)).toEqual([
      { host: "reviews", subsets: [{ name: "reviews-v1", labels: { "service.istio.io/canonical-name": "reviews-v1" } }, { name: "reviews-v2", labels: { "service.istio.io/canonical-name": "reviews-v2" } }] },
      { host: "reviews", subsets: [{ name: "reviews-v2", labels: { "service.istio.io/canonical-name": "reviews-v2" } }] },
    ]);
  });

  it("moved weights are noted per step", () => {
    const notes = diffRenders(renderFiles({ "app.yaml": app(reviews, workflow([90, 10])) }), renderFiles({ "app.yaml": app(reviews, workflow([10, 90])) })).changes.flatMap((c) => c.notes);
    expect(notes.map((n) => n.message)).toEqual([expect.stringMatching(/^step rollout-1st-batch: traffic on .*reviews-v1 90% → 10%, reviews-v2 10% → 90%/)]);
  });
});

const environments = (productionMtls: string): string => `  policies:
    - name: staging
      type: topology
      properties: { clusters: [staging], namespace: staging }
    - name: production
      type: topology
      properties: { clusters: [prod], namespace: production }
    - name: production-overrides
      type: override
      properties:
        components:
          - name: reviews
            traits:
              - type: mtls
                properties: { mode: ${productionMtls} }
              - type: scaler
                disable: true
  workflow:
    steps:
      - { name: staging, type: deploy, properties: { policies: [staging] } }
      - { name: production, type: deploy, properties: { policies: [production, production-overrides] } }`;

describe("environments from topology and override policies", () => {
  const reviews = web("- type: mtls\n  properties: { mode: STRICT }\n- type: scaler\n  properties: { replicas: 2 }", "reviews");

  it("render once per deploy step, in the topology's namespace, with the override merged", () => {
    const result = renderFiles({ "app.yaml": app(reviews, environments("STRICT")) });
    expect(ofKind(result, "PeerAuthentication").map((r) => [r.environment, r.object.metadata.namespace])).toEqual([["production", "production"], ["staging", "staging"]]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("an override that relaxes mTLS in production only says so, and fails check", () => {
    const base = { "app.yaml": app(reviews, environments("STRICT")) };
    const head = { "app.yaml": app(reviews, environments("PERMISSIVE")) };
    const verdict = check({ base, head });
    const notes = verdict.changes.changes.flatMap((c) => c.notes).filter((n) => n.kind === "mtls");
    expect(notes.map((n) => [n.environment, n.message])).toEqual([["production", expect.stringContaining("PeerAuthentication production/reviews in production only")]]);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings.filter((f) => f.blocking).map((f) => f.message)).toEqual([expect.stringContaining(" in production")]);
  });
});
