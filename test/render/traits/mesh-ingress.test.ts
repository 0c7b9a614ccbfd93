import { describe, expect, it } from "vitest";
import { appOfUnknownType, configWithMesh, diagnosticsOf, specOf } from "../../support/mesh-routing.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const HOST = "frontend.shop.svc.cluster.local";

describe("mesh-ingress trait", () => {
  const minimal = `- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls:
      credentialName: shop-cert`;

  it("renders Gateway C-gw (HTTPS with a redirect from HTTP) and VirtualService C-ingress to the first HTTP port", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(minimal) });
    expect(errorsOf(result)).toEqual([]);
    expect(yamlOf(result, "Gateway", "VirtualService")).toMatchInlineSnapshot(`
      "apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata:
        name: frontend-gw
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          istio: ingressgateway
        servers:
          - port:
              number: 443
              name: https-frontend
              protocol: HTTPS
            hosts:
              - ./shop.example.com
            tls:
              mode: SIMPLE
              credentialName: shop-cert
          - port:
              number: 80
              name: http-frontend
              protocol: HTTP
            hosts:
              - ./shop.example.com
            tls:
              httpsRedirect: true
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
          - name: ingress-0-default
            match:
              - uri:
                  prefix: /
            route:
              - destination:
                  host: frontend.shop.svc.cluster.local
                  port:
                    number: 8080
      "
    `);
  });

  it("pins the Gateway field by field: namespace-scoped hosts, port names, TLS and the redirect", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(minimal) });
    expect(specOf(result, "Gateway", "frontend-gw")).toEqual({
      selector: { istio: "ingressgateway" },
      servers: [
        { port: { number: 443, name: "https-frontend", protocol: "HTTPS" }, hosts: ["./shop.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-cert" } },
        { port: { number: 80, name: "http-frontend", protocol: "HTTP" }, hosts: ["./shop.example.com"], tls: { httpsRedirect: true } },
      ],
    });
    expect(specOf(result, "VirtualService", "frontend-ingress")).toEqual({
      hosts: ["shop.example.com"],
      gateways: ["shop/frontend-gw"],
      http: [{ name: "ingress-0-default", match: [{ uri: { prefix: "/" } }], route: [{ destination: { host: HOST, port: { number: 8080 } } }] }],
    });
    // An ingress alone shapes neither the mesh VirtualService nor a DestinationRule.
    expect(ofKind(result, "VirtualService", "frontend")).toEqual([]);
    expect(ofKind(result, "DestinationRule")).toEqual([]);
  });

  it("records the trait as the source of both resources, and what it wrote in C-ingress", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(minimal) });
    const source = { file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "mesh-ingress" };
    expect(ofKind(result, "Gateway")[0]?.source).toEqual(source);
    const ingress = ofKind(result, "VirtualService", "frontend-ingress")[0];
    expect(ingress?.source).toEqual(source);
    expect(ingress?.sources).toEqual([
      { file: "app.yaml", line: 15, trait: "mesh-ingress", paths: ["/spec/hosts", "/spec/gateways", "/spec/http/0/match", "/spec/http/0/route"] },
    ]);
  });

  it("says in a notice, at credentialName, that the secret must live in the ingress gateway's namespace", () => {
    const config = configWithMesh({ ingress: { namespace: "gateways", selector: { istio: "ingressgateway" } } });
    const result = renderFiles({ "app.yaml": appWithTraits(minimal) }, config);
    expect(diagnosticsOf(result, "notice")).toEqual([
      [19, expect.stringMatching(/^shop\/frontend: mesh-ingress: the TLS secret `shop-cert` must exist in namespace gateways \(the ingress gateway's namespace, config mesh\.ingress\.namespace\)/) as string],
    ]);
  });

  it("renders MUTUAL TLS, a minimum TLS version, a custom selector and no HTTP server when httpsRedirect is false", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [api.example.com, "*.api.example.com"]
    selector: { istio: partner-gateway }
    httpsRedirect: false
    tls: { mode: MUTUAL, credentialName: partner-cert, minProtocolVersion: TLSV1_3 }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(specOf(result, "Gateway", "frontend-gw")).toEqual({
      selector: { istio: "partner-gateway" },
      servers: [
        {
          port: { number: 443, name: "https-frontend", protocol: "HTTPS" },
          hosts: ["./api.example.com", "./*.api.example.com"],
          tls: { mode: "MUTUAL", credentialName: "partner-cert", minProtocolVersion: "TLSV1_3" },
        },
      ],
    });
    expect(specOf(result, "VirtualService", "frontend-ingress")?.hosts).toEqual(["api.example.com", "*.api.example.com"]);
    // A custom selector may pick gateway pods anywhere: the notice cannot name the namespace, and MUTUAL needs the CA too.
    const [notice] = diagnosticsOf(result, "notice");
    expect(notice?.[1]).toContain("the namespace of the gateway pods that `selector` picks");
    expect(notice?.[1]).toContain("ca.crt");
    expect(notice?.[1]).toContain("`partner-cert-cacert`");
  });

  it("renders each route in order with its match, rewrite and port", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(
        `- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - { exact: /healthz, port: 8081 }
      - { regex: "^/v[0-9]+/orders$" }
      - { prefix: /api/, rewrite: / }
      - { prefix: / }`,
        { ports: "ports: [{ port: 9000, appProtocol: tcp }, { port: 8080 }, { port: 8081, appProtocol: grpc }]" },
      ),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(diagnosticsOf(result, "warning")).toEqual([]);
    const destination = (port: number): unknown => [{ destination: { host: HOST, port: { number: port } } }];
    expect(specOf(result, "VirtualService", "frontend-ingress")?.http).toEqual([
      { name: "ingress-0-default", match: [{ uri: { exact: "/healthz" } }], route: destination(8081) },
      // Without a port, the first HTTP port: the TCP port listed before it is skipped.
      { name: "ingress-1-default", match: [{ uri: { regex: "^/v[0-9]+/orders$" } }], route: destination(8080) },
      { name: "ingress-2-default", match: [{ uri: { prefix: "/api/" } }], rewrite: { uri: "/" }, route: destination(8080) },
      { name: "ingress-3-default", match: [{ uri: { prefix: "/" } }], route: destination(8080) },
    ]);
  });

  it("binds to a given gateway: no Gateway is rendered and the settings that would configure one are reported as ignored", () => {
    const config = configWithMesh({ gateways: [{ name: "istio-ingress/public-gw", hosts: ["*.example.com"] }] });
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com, shop.example.org]
    gateway: istio-ingress/public-gw
    selector: { istio: ingressgateway }
    tls: { credentialName: shop-cert }
    httpsRedirect: true`),
    }, config);
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "Gateway")).toEqual([]);
    expect(specOf(result, "VirtualService", "frontend-ingress")).toMatchObject({ gateways: ["istio-ingress/public-gw"], hosts: ["shop.example.com", "shop.example.org"] });
    expect(diagnosticsOf(result, "warning")).toEqual([
      [17, expect.stringContaining("host shop.example.org is not among the hosts of gateway istio-ingress/public-gw (*.example.com)") as string],
      [19, expect.stringContaining("`selector` is ignored") as string],
      [20, expect.stringContaining("`tls` is ignored") as string],
      [21, expect.stringContaining("`httpsRedirect` is ignored") as string],
    ]);
    expect(diagnosticsOf(result, "notice")).toEqual([]);
  });

  it("checks host coverage only against gateway hosts the Application's namespace may bind to", () => {
    const config = configWithMesh({ gateways: [{ name: "istio-ingress/public-gw", hosts: ["team-a/*.example.com", "*/shop.example.com", "./internal.example.com"] }] });
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com, a.example.com, internal.example.com]
    gateway: istio-ingress/public-gw`),
    }, config);
    expect(diagnosticsOf(result, "warning").map(([, message]) => message.replace(/ \(.*$/, ""))).toEqual([
      "shop/frontend: mesh-ingress: host a.example.com is not among the hosts of gateway istio-ingress/public-gw",
      "shop/frontend: mesh-ingress: host internal.example.com is not among the hosts of gateway istio-ingress/public-gw",
    ]);
  });

  it("routes to the component without a port when its type does not say which ports it serves", () => {
    const result = renderFiles({
      "app.yaml": appOfUnknownType(`- type: mesh-ingress
  properties:
    hosts: [legacy.example.com]
    tls: { credentialName: legacy-cert }
    routes:
      - { prefix: /, port: 7000 }
      - { prefix: /old }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(specOf(result, "VirtualService", "legacy-ingress")?.http).toEqual([
      { name: "ingress-0-default", match: [{ uri: { prefix: "/" } }], route: [{ destination: { host: "legacy.shop.svc.cluster.local", port: { number: 7000 } } }] },
      { name: "ingress-1-default", match: [{ uri: { prefix: "/old" } }], route: [{ destination: { host: "legacy.shop.svc.cluster.local" } }] },
    ]);
  });

  it("warns at a route that an earlier prefix leaves unreachable", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - { prefix: /api }
      - { exact: /api/health }
      - { prefix: /ap }
      - { regex: "^/api" }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(diagnosticsOf(result, "warning")).toEqual([
      [21, "shop/frontend: mesh-ingress: route 1 (exact /api/health) is never reached: route 0 (prefix /api) matches its requests first; list the more specific route first"],
    ]);
  });

  it("warns at a rewrite that would double the slash after a prefix without a trailing slash", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - { prefix: /api, rewrite: / }
      - { prefix: /v1/, rewrite: /v2/ }
      - { prefix: /old, rewrite: /new }`),
    });
    expect(diagnosticsOf(result, "warning")).toEqual([
      [20, "shop/frontend: mesh-ingress: prefix /api rewritten to / turns /api/x into //x: write the prefix as /api/ (and add an exact /api route if that path is served)"],
    ]);
    // A warning, not an error: the route is still rendered as written.
    expect(specOf(result, "VirtualService", "frontend-ingress")?.http).toHaveLength(3);
  });

  describe("errors at the property at fault, and nothing rendered", () => {
    const rendered = (result: ReturnType<typeof renderFiles>): string[] =>
      result.resources.filter((r) => ["Gateway", "VirtualService"].includes(r.object.kind)).map((r) => r.object.metadata.name);

    it("a route port the component does not serve, or does not serve over HTTP", () => {
      const result = renderFiles({
        "app.yaml": appWithTraits(
          `- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    tls: { credentialName: shop-cert }
    routes:
      - prefix: /
        port: 9999
      - prefix: /stream
        port: 9090`,
          { ports: "ports: [{ port: 8080 }, { port: 9090, appProtocol: tcp }]" },
        ),
      });
      expect(diagnosticsOf(result, "error")).toEqual([
        [20, "shop/frontend: mesh-ingress: route port 9999 is not a port of frontend (ports: 8080/http, 9090/tcp)"],
        [22, "shop/frontend: mesh-ingress: route port 9090 of frontend is tcp, not HTTP: an ingress route needs an http, http2 or grpc port"],
      ]);
      expect(rendered(result)).toEqual([]);
      expect(diagnosticsOf(result, "notice")).toEqual([]);
    });

    it("no HTTP port to default to: at the trait when routes are defaulted, at the route otherwise", () => {
      const tcpOnly = { ports: "ports: [{ port: 5432, appProtocol: tcp }]" };
      const defaulted = renderFiles({ "app.yaml": appWithTraits(minimal, tcpOnly) });
      expect(diagnosticsOf(defaulted, "error")).toEqual([[14, "shop/frontend: mesh-ingress: frontend serves no HTTP port to route to (ports: 5432/tcp): give it an http, http2 or grpc port"]]);
      expect(rendered(defaulted)).toEqual([]);

      const listed = renderFiles({ "app.yaml": appWithTraits(`${minimal}\n    routes:\n      - { prefix: /api }`, tcpOnly) });
      expect(diagnosticsOf(listed, "error").map(([line]) => line)).toEqual([20]);

      const portless = renderFiles({ "app.yaml": appWithTraits(minimal, { ports: "ports: []" }) });
      expect(diagnosticsOf(portless, "error")).toEqual([[14, expect.stringContaining("(ports: none)") as string]]);
    });

    it("no credentialName when the Gateway is rendered", () => {
      const absent = renderFiles({ "app.yaml": appWithTraits("- type: mesh-ingress\n  properties:\n    hosts: [shop.example.com]") });
      expect(diagnosticsOf(absent, "error")).toEqual([[15, expect.stringContaining("tls.credentialName is required when no `gateway` is given") as string]]);
      expect(rendered(absent)).toEqual([]);
      const withoutName = renderFiles({ "app.yaml": appWithTraits("- type: mesh-ingress\n  properties:\n    hosts: [shop.example.com]\n    tls: { mode: MUTUAL }") });
      expect(diagnosticsOf(withoutName, "error").map(([line]) => line)).toEqual([18]);
    });
  });

  describe("property schema", () => {
    const schemaErrors = (traitYaml: string): [number, string][] =>
      diagnosticsOf(renderFiles({ "app.yaml": appWithTraits(traitYaml) }), "error").map(([line, message]) => [line, message.replace("shop/frontend: invalid `mesh-ingress` properties: ", "")]);

    it("requires hosts and rejects unknown keys, naming the allowed ones", () => {
      expect(schemaErrors("- type: mesh-ingress\n  properties:\n    host: [shop.example.com]")).toEqual([
        [16, "missing required key `hosts`"],
        [17, "unknown key `host`; allowed: hosts, gateway, selector, tls, httpsRedirect, routes"],
      ]);
    });

    it("rejects wrong types and values at their lines", () => {
      expect(schemaErrors(`- type: mesh-ingress
  properties:
    hosts: shop.example.com
    httpsRedirect: "yes"
    tls: { mode: PASSTHROUGH, credentialName: c, minProtocolVersion: TLSV1_2, cipherSuites: [] }`)).toEqual([
        [17, "`hosts` must be a list (got string \"shop.example.com\")"],
        [18, "`httpsRedirect` must be true or false (got string \"yes\")"],
        [19, "unknown key `cipherSuites` in `tls`; allowed: mode, credentialName, minProtocolVersion"],
        [19, "`tls.mode` must be one of \"SIMPLE\", \"MUTUAL\" (got \"PASSTHROUGH\")"],
      ]);
    });

    it("rejects repeated hosts and an empty host list", () => {
      expect(schemaErrors("- type: mesh-ingress\n  properties:\n    hosts: [a.example.com, a.example.com]")).toEqual([[17, "`hosts` must not repeat items (items 1 and 0 are equal)"]]);
      expect(schemaErrors("- type: mesh-ingress\n  properties:\n    hosts: []")).toEqual([[17, "`hosts` must have at least 1 item"]]);
    });

    it("rejects hosts that are not lower-case DNS names, a gateway not written ns/name, and paths without a leading slash", () => {
      expect(schemaErrors(`- type: mesh-ingress
  properties:
    hosts:
      - Shop.example.com
      - shop/shop.example.com
      - shop_api.example.com
      - "*"
      - "*.example.com"
    gateway: public-gw
    routes:
      - { prefix: api }
      - { exact: healthz }`)).toEqual([
        [18, "`hosts.0` \"Shop.example.com\" is not in the expected form (a lower-case DNS name such as shop.example.com, optionally starting with `*.`, or `*`)"],
        [19, "`hosts.1` \"shop/shop.example.com\" is not in the expected form (a lower-case DNS name such as shop.example.com, optionally starting with `*.`, or `*`)"],
        [20, "`hosts.2` \"shop_api.example.com\" is not in the expected form (a lower-case DNS name such as shop.example.com, optionally starting with `*.`, or `*`)"],
        [23, "`gateway` \"public-gw\" is not in the expected form (namespace/name of an existing Gateway, e.g. istio-ingress/public-gw)"],
        [25, "`routes.0.prefix` \"api\" is not in the expected form (a path starting with /)"],
        [26, "`routes.1.exact` \"healthz\" is not in the expected form (a path starting with /)"],
      ]);
    });

    it("needs exactly one of prefix, exact or regex per route, and an integer port", () => {
      expect(schemaErrors(`- type: mesh-ingress
  properties:
    hosts: [shop.example.com]
    routes:
      - { prefix: /a, exact: /a }
      - { port: 8080 }
      - { prefix: /b, port: "8080", path: /b }`)).toEqual([
        [19, "`routes.0` is not allowed here: a route takes only one of prefix, exact or regex"],
        [20, "`routes.1` is not allowed here: a route needs one of prefix, exact or regex"],
        [21, "unknown key `path` in `routes.2`; allowed: prefix, exact, regex, port, rewrite"],
        [21, "`routes.2.port` must be an integer (got string \"8080\")"],
      ]);
    });
  });

  it("reports two components claiming one host, at the second", () => {
    const trait = minimal.replace(/^/gm, "        ");
    const app = `${appWithTraits(minimal)}    - name: admin
      type: webservice
      properties:
        image: ghcr.io/acme/admin:1.0.0
        port: 8080
      traits:
${trait}
`;
    const result = renderFiles({ "app.yaml": app });
    expect(diagnosticsOf(result, "error")).toEqual([
      [26, "shop/admin: mesh-ingress host shop.example.com is already exposed by shop/frontend (app.yaml:15): two gateways claiming one host conflict in Istio"],
    ]);
  });
});
