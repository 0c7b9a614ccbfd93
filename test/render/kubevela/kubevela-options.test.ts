import { describe, expect, it } from "vitest";
import { appWithComponents, ofKind, renderFiles } from "../../support/render.js";

/** The Application `shop` of one webservice component `web` (port 8080) with the given traits. */
function app(traits: string): Record<string, string> {
  return {
    "app.yaml": appWithComponents(`- name: web
  type: webservice
  properties:
    image: example/web:1
    port: 8080
  traits:
${traits.replace(/^/gm, "    ")}`),
  };
}

/** The rendered objects of a kind without the labels meshgate adds (app.oam.dev/…), as the definition renders them. */
function objects(files: Record<string, string>, kind: string): unknown[] {
  return ofKind(renderFiles(files), kind).map((r) => {
    const metadata = { ...r.object.metadata };
    delete metadata.labels;
    return { ...r.object, metadata };
  });
}

function gatewayApiGateways(result: ReturnType<typeof renderFiles>): ReturnType<typeof ofKind> {
  return ofKind(result, "Gateway").filter((r) => r.object.apiVersion.startsWith("gateway.networking.k8s.io/"));
}

describe("built-in trait options", () => {
  // vela-templates/definitions/internal/trait/pure-ingress.cue (Kubernetes 1.19 or later)
  it("pure-ingress: Ingress C, no class, no TLS, to Service C, which it does not create", () => {
    const files = app("- type: pure-ingress\n  properties:\n    domain: web.example.com\n    http:\n      /: 8080\n      /api: 8081");
    expect(objects(files, "Ingress")).toEqual([{
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: "shop" },
      spec: { rules: [{ host: "web.example.com", http: { paths: [
        { path: "/", pathType: "ImplementationSpecific", backend: { service: { name: "web", port: { number: 8080 } } } },
        { path: "/api", pathType: "ImplementationSpecific", backend: { service: { name: "web", port: { number: 8081 } } } },
      ] } }] },
    }]);
  });

  // vela-templates/definitions/internal/trait/expose.cue (`ports` wins over `port`)
  it("expose ports: named as given, else port-<n> and -<protocol> for UDP/SCTP; protocol kept; nodePort only for NodePort", () => {
    const files = app("- type: expose\n  properties:\n    type: NodePort\n    ports:\n      - { port: 8080, name: http-web }\n      - { port: 5353, protocol: UDP, nodePort: 30053 }\n      - { port: 9000 }");
    expect(objects(files, "Service")).toEqual([{
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "shop", annotations: {} },
      spec: {
        selector: { "app.oam.dev/component": "web" },
        ports: [
          { port: 8080, targetPort: 8080, name: "http-web", protocol: "TCP" },
          { port: 5353, targetPort: 5353, name: "port-5353-udp", nodePort: 30053, protocol: "UDP" },
          { port: 9000, targetPort: 9000, name: "port-9000", protocol: "TCP" },
        ],
        type: "NodePort",
      },
    }]);
  });

  // vela-templates/definitions/internal/trait/expose.cue (matchLabels, annotations; nodePort dropped for ClusterIP)
  it("expose matchLabels replace the selector, annotations go on the Service, nodePort is dropped for ClusterIP", () => {
    const files = app("- type: expose\n  properties:\n    matchLabels: { app: legacy }\n    annotations: { team: shop }\n    ports:\n      - { port: 8080, nodePort: 30080 }");
    expect(objects(files, "Service")).toEqual([{
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "shop", annotations: { team: "shop" } },
      spec: { selector: { app: "legacy" }, ports: [{ port: 8080, targetPort: 8080, name: "port-8080", protocol: "TCP" }], type: "ClusterIP" },
    }]);
  });
});

describe("catalog trait options", () => {
  // kubevela/catalog experimental/addons/istio/resources/istio-vs.cue
  it("istio-vs: hosts, gateways and http as given", () => {
    const files = app("- type: istio-vs\n  properties:\n    hosts: [web.example.com]\n    gateways: [istio-system/public]\n    http:\n      - route: [{ destination: { host: web, port: { number: 8080 } } }]");
    expect(objects(files, "VirtualService")).toEqual([{
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "VirtualService",
      metadata: { name: "web", namespace: "shop" },
      spec: { hosts: ["web.example.com"], gateways: ["istio-system/public"], http: [{ route: [{ destination: { host: "web", port: { number: 8080 } } }] }] },
    }]);
  });

  // kubevela/catalog experimental/addons/gateway-traits/definitions/http-route.cue
  it("http-route: path and headers in one match, serviceName as the backend, gatewayName/Namespace/listenerName as the parent", () => {
    const files = app("- type: http-route\n  properties:\n    domains: [web.example.com]\n    gatewayName: istio\n    gatewayNamespace: istio-system\n    listenerName: http\n    rules:\n      - { path: { type: Exact, value: /login }, headers: [{ type: Exact, name: x-beta, value: \"1\" }], serviceName: web-beta, port: 8080 }");
    expect(objects(files, "HTTPRoute")).toEqual([{
      apiVersion: "gateway.networking.k8s.io/v1alpha2",
      kind: "HTTPRoute",
      metadata: { name: "web", namespace: "shop" },
      spec: {
        parentRefs: [{ name: "istio", namespace: "istio-system", sectionName: "http" }],
        hostnames: ["web.example.com"],
        rules: [{ matches: [{ path: { type: "Exact", value: "/login" }, headers: [{ type: "Exact", name: "x-beta", value: "1" }] }], backendRefs: [{ name: "web-beta", port: 8080 }] }],
      },
    }]);
  });

  // kubevela/catalog experimental/addons/gateway-traits/definitions/https-route.cue
  it("https-route: Gateway C-gateway-tls with an HTTPS listener per secret on TLSPort, HTTPRoute C-ssl on it; v1alpha2, which the cluster refuses", () => {
    const files = app("- type: https-route\n  properties:\n    domains: [web.example.com]\n    gatewayClassName: istio\n    secrets: [{ name: web-tls }, { name: shared-tls, namespace: certs }]\n    rules: [{ port: 8080 }]");
    const result = renderFiles(files);
    expect(gatewayApiGateways(result).map((r) => [r.object.apiVersion, r.object.metadata.name, r.object.spec])).toEqual([[
      "gateway.networking.k8s.io/v1alpha2",
      "web-gateway-tls",
      {
        gatewayClassName: "istio",
        listeners: [
          { name: "web-tls", protocol: "HTTPS", port: 8443, tls: { certificateRefs: [{ kind: "Secret", name: "web-tls", namespace: "shop" }] } },
          { name: "shared-tls", protocol: "HTTPS", port: 8443, tls: { certificateRefs: [{ kind: "Secret", name: "shared-tls", namespace: "certs" }] } },
        ],
      },
    ]]);
    expect(ofKind(result, "HTTPRoute").map((r) => [r.object.metadata.name, r.object.spec])).toEqual([[
      "web-ssl",
      { parentRefs: [{ name: "web-gateway-tls", namespace: "shop", port: 8443 }], hostnames: ["web.example.com"], rules: [{ matches: [{}], backendRefs: [{ name: "web", port: 8080 }] }] },
    ]]);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "Gateway shop/web-gateway-tls: Gateway API serves no Gateway at gateway.networking.k8s.io/v1alpha2 (served: v1, v1beta1)",
      "HTTPRoute shop/web-ssl: Gateway API serves no HTTPRoute at gateway.networking.k8s.io/v1alpha2 (served: v1, v1beta1)",
    ]);
  });

  // kubevela/catalog experimental/addons/gateway-traits/definitions/tcp-route.cue
  it("tcp-route: per rule, Gateway C-gateway-tcp-<port> with one TCP listener and TCPRoute tcp-route-<port>", () => {
    const files = app("- type: tcp-route\n  properties:\n    rules: [{ port: 5432, serviceName: db }]");
    const result = renderFiles(files);
    expect(gatewayApiGateways(result).map((r) => [r.object.metadata.name, r.object.spec])).toEqual([[
      "web-gateway-tcp-8060",
      { gatewayClassName: "traefik", listeners: [{ allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "TCPRoute", group: "gateway.networking.k8s.io" }] }, name: "listener-tcp-8060", port: 8060, protocol: "TCP" }] },
    ]]);
    expect(ofKind(result, "TCPRoute").map((r) => [r.object.apiVersion, r.object.metadata.name, r.object.spec])).toEqual([[
      "gateway.networking.k8s.io/v1alpha2",
      "tcp-route-8060",
      { parentRefs: [{ name: "web-gateway-tcp-8060", namespace: "shop", sectionName: "listener-tcp-8060" }], rules: [{ backendRefs: [{ name: "db", port: 5432 }] }] },
    ]]);
    // TCPRoute is still served at v1alpha2; the Gateway beside it is not.
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual(["Gateway shop/web-gateway-tcp-8060: Gateway API serves no Gateway at gateway.networking.k8s.io/v1alpha2 (served: v1, v1beta1)"]);
  });
});

describe("gateway trait options", () => {
  // vela-templates/definitions/internal/trait/gateway.cue (the version with name, pathType, existingServiceName)
  it("gatewayHost, annotations and pathType on the Ingress; existingServiceName: no Service, the backend is that Service", () => {
    const files = app("- type: gateway\n  properties:\n    domain: web.example.com\n    gatewayHost: lb.example.com\n    annotations: { team: shop }\n    pathType: Prefix\n    existingServiceName: web-svc\n    http:\n      /: 8080");
    expect(objects(files, "Service").map((s) => (s as { metadata: { name: string } }).metadata.name)).toEqual(["web"]);
    expect(objects(files, "Ingress")).toEqual([{
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: "shop", annotations: { "kubernetes.io/ingress.class": "nginx", "ingress.controller/host": "lb.example.com", team: "shop" } },
      spec: { rules: [{ host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web-svc", port: { number: 8080 } } } }] } }] },
    }]);
  });

  it("secretName without domain is an error, as KubeVela fails to render it", () => {
    const result = renderFiles(app("- type: gateway\n  properties:\n    secretName: web-tls\n    http:\n      /: 8080"));
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("`secretName` needs `domain`")]);
  });
});

describe("override policy merging", () => {
  const envs = (override: string): Record<string, string> => {
    const [files] = [app("- type: mtls\n  properties: { mode: STRICT }\n- type: expose\n  properties: { port: [8080] }")];
    return { "app.yaml": `${files["app.yaml"] ?? ""}  policies:
    - { name: staging, type: topology, properties: { clusters: [staging], namespace: staging } }
    - { name: production, type: topology, properties: { clusters: [prod], namespace: production } }
    - name: production-overrides
      type: override
      properties:
        components:
${override.replace(/^/gm, "          ").trimEnd()}
  workflow:
    steps:
      - { name: staging, type: deploy, properties: { policies: [staging] } }
      - { name: production, type: deploy, properties: { policies: [production, production-overrides] } }
` };
  };

  it("disable: true removes a trait in that environment only", () => {
    const result = renderFiles(envs("- name: web\n  traits:\n    - { type: mtls, disable: true }"));
    expect(ofKind(result, "PeerAuthentication").map((r) => r.environment)).toEqual(["staging"]);
  });

  it("trait properties merge key by key, and a trait the component lacks is added", () => {
    const result = renderFiles(envs("- name: web\n  traits:\n    - { type: expose, properties: { type: LoadBalancer } }\n    - { type: sidecar-scope, properties: { outboundTrafficPolicy: REGISTRY_ONLY } }"));
    expect(ofKind(result, "Service").map((r) => [r.environment, r.object.spec?.type, r.object.spec?.ports])).toEqual([
      ["production", "LoadBalancer", [{ name: "port-8080", port: 8080, targetPort: 8080 }]],
      ["staging", "ClusterIP", [{ name: "port-8080", port: 8080, targetPort: 8080 }]],
    ]);
    expect(ofKind(result, "Sidecar").map((r) => r.environment)).toEqual(["production"]);
  });
});

describe("kruise-rollout options", () => {
  // kubevela/catalog addons/kruise-rollout/definitions/kruise-rollout.cue
  it("releaseMode batch annotates the Rollout; ingress routing names the Ingress and stable Service; auto pauses no step", () => {
    const files = app("- type: kruise-rollout\n  properties:\n    auto: true\n    releaseMode: batch\n    canary:\n      steps: [{ replicas: 1, duration: 30 }, { replicas: \"50%\" }]\n      trafficRoutings: [{ service: web-stable, ingressName: web-public }]");
    expect(objects(files, "Rollout")).toEqual([{
      apiVersion: "rollouts.kruise.io/v1alpha1",
      kind: "Rollout",
      metadata: { name: "web", namespace: "shop", annotations: { "rollouts.kruise.io/rolling-style": "partition" } },
      spec: {
        objectRef: { workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" } },
        strategy: { canary: {
          steps: [{ replicas: 1, pause: { duration: 0 } }, { replicas: "50%", pause: { duration: 0 } }],
          trafficRoutings: [{ service: "web-stable", gracePeriodSeconds: 5, ingress: { name: "web-public" } }],
        } },
      },
    }]);
  });

  it("stepPartition releases the steps before it without a pause and waits for a person after, whatever their duration", () => {
    const files = app("- type: kruise-rollout\n  properties:\n    stepPartition: 1\n    canary:\n      steps: [{ weight: 10, duration: 30 }, { weight: 50, duration: 60 }]");
    const [rollout] = objects(files, "Rollout") as { spec: { strategy: { canary: unknown } } }[];
    expect(rollout?.spec.strategy.canary).toEqual({ steps: [{ weight: 10, pause: { duration: 0 } }, { weight: 50, pause: {} }] });
  });

  it("a step with header matches is an error: the definition reads fields it does not declare, and KubeVela fails to render it", () => {
    const result = renderFiles(app("- type: kruise-rollout\n  properties:\n    canary:\n      steps: [{ weight: 10, matches: [{ headers: [{ Name: x-canary, Value: \"1\" }] }] }]"));
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([expect.stringContaining("fails to render a step with `matches`")]);
  });
});
