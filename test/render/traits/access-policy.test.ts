import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../src/core/config/config.js";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const SELECTOR = { matchLabels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "frontend" } };
const MIXED_PORTS = { ports: "ports: [{ port: 8080 }, { port: 9090, appProtocol: tcp }]" };

function policyNames(yaml: string, options?: { ports?: string }): string[] {
  return ofKind(renderFiles({ "app.yaml": appWithTraits(yaml, options) }), "AuthorizationPolicy").map((p) => p.object.metadata.name);
}

describe("access-policy trait", () => {
  it("renders an ALLOW policy with one rule per entry, and a DENY policy for deny entries", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from: { serviceAccounts: [shop/checkout, ops/prober] }
        to: { methods: [GET, POST], paths: [/api/*], ports: [8080] }
      - from: { namespaces: [monitoring] }
        to: { ports: [8080] }
      - from: { groups: [admins] }
        to: { paths: [/admin/*] }
    deny:
      - from: { requestPrincipals: ["https://auth.example.com/banned"] }`),
    });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "AuthorizationPolicy")).toMatchInlineSnapshot(`
      "apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: frontend-allow
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        action: ALLOW
        rules:
          - from:
              - source:
                  principals:
                    - cluster.local/ns/shop/sa/checkout
                    - cluster.local/ns/ops/sa/prober
            to:
              - operation:
                  methods:
                    - GET
                    - POST
                  paths:
                    - /api/*
                  ports:
                    - "8080"
          - from:
              - source:
                  namespaces:
                    - monitoring
            to:
              - operation:
                  ports:
                    - "8080"
          - to:
              - operation:
                  paths:
                    - /admin/*
            when:
              - key: request.auth.claims[groups]
                values:
                  - admins
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: frontend-deny
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        action: DENY
        rules:
          - from:
              - source:
                  requestPrincipals:
                    - https://auth.example.com/banned
      "
    `);
  });

  it("maps service accounts to principals in the trust domain, groups to a claim condition, ports to strings", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from: { serviceAccounts: [shop/checkout], namespaces: [shop] }
        to: { ports: [8080] }
      - from: { groups: [admins, sre] }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "AuthorizationPolicy", "frontend-allow")[0]?.object.spec).toEqual({
      selector: SELECTOR,
      action: "ALLOW",
      rules: [
        { from: [{ source: { principals: ["cluster.local/ns/shop/sa/checkout"], namespaces: ["shop"] } }], to: [{ operation: { ports: ["8080"] } }] },
        { when: [{ key: "request.auth.claims[groups]", values: ["admins", "sre"] }] },
      ],
    });
  });

  it("uses the configured trust domain", () => {
    const config = defaultConfig();
    config.mesh.trustDomain = "prod.acme.internal";
    const result = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    allow:\n      - from: { serviceAccounts: [shop/checkout] }") }, config);
    expect(ofKind(result, "AuthorizationPolicy", "frontend-allow")[0]?.object.spec?.rules).toEqual([
      { from: [{ source: { principals: ["prod.acme.internal/ns/shop/sa/checkout"] } }] },
    ]);
  });

  it("renders an allow-nothing policy (only a selector) by default when nothing is allowed", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: access-policy") });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "AuthorizationPolicy")).toMatchInlineSnapshot(`
      "apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: frontend-deny-all
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
      "
    `);
    const [denyAll] = ofKind(result, "AuthorizationPolicy");
    expect(denyAll?.object.spec).toEqual({ selector: SELECTOR });
    expect(denyAll?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "access-policy" });
  });

  it("chooses the policies from allow, deny and defaultDeny", () => {
    expect(policyNames("- type: access-policy\n  properties:\n    allow: []")).toEqual(["frontend-deny-all"]);
    expect(policyNames("- type: access-policy\n  properties:\n    allow: [{ from: { namespaces: [shop] } }]")).toEqual(["frontend-allow"]);
    expect(policyNames("- type: access-policy\n  properties:\n    deny: [{ from: { namespaces: [legacy] } }]")).toEqual(["frontend-deny", "frontend-deny-all"]);
    expect(policyNames("- type: access-policy\n  properties:\n    defaultDeny: false\n    deny: [{ from: { namespaces: [legacy] } }]")).toEqual(["frontend-deny"]);
    expect(policyNames("- type: access-policy\n  properties:\n    deny: []\n    allow: [{ from: { namespaces: [shop] } }]")).toEqual(["frontend-allow"]);
  });

  it("renders a DENY entry as its own rule, with the entry's conditions", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    deny:\n      - from: { namespaces: [legacy] }\n        to: { methods: [DELETE] }") });
    expect(ofKind(result, "AuthorizationPolicy", "frontend-deny")[0]?.object.spec).toEqual({
      selector: SELECTOR,
      action: "DENY",
      rules: [{ from: [{ source: { namespaces: ["legacy"] } }], to: [{ operation: { methods: ["DELETE"] } }] }],
    });
  });

  it("warns when defaultDeny: false cannot take effect, and when the trait renders nothing", () => {
    const moot = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    defaultDeny: false\n    allow: [{ from: { namespaces: [shop] } }]") });
    expect(moot.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ["warning", 17, expect.stringContaining("`defaultDeny: false` has no effect while `allow` lists entries") as string],
    ]);
    const nothing = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    defaultDeny: false") });
    expect(nothing.diagnostics.map((d) => [d.severity, d.message])).toEqual([["warning", expect.stringContaining("the trait renders nothing") as string]]);
    expect(ofKind(nothing, "AuthorizationPolicy")).toEqual([]);
  });

  it("limits entries with HTTP-only fields to the HTTP ports of a mixed component, with a warning at each entry", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from: { serviceAccounts: [shop/checkout] }
      - from: { groups: [admins] }
    deny:
      - to: { paths: [/internal/*] }`, MIXED_PORTS),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ["warning", 18, "shop/frontend: access-policy: allow[1] (it uses groups) acts on HTTP traffic only: limited to HTTP ports 8080 of frontend; its non-HTTP ports (9090/tcp) are not covered by it"],
      ["warning", 20, "shop/frontend: access-policy: deny[0] (it uses paths) acts on HTTP traffic only: limited to HTTP ports 8080 of frontend; its non-HTTP ports (9090/tcp) are not covered by it"],
    ]);
    expect(ofKind(result, "AuthorizationPolicy", "frontend-allow")[0]?.object.spec?.rules).toEqual([
      // No HTTP-only field: it applies to every port.
      { from: [{ source: { principals: ["cluster.local/ns/shop/sa/checkout"] } }] },
      { to: [{ operation: { ports: ["8080"] } }], when: [{ key: "request.auth.claims[groups]", values: ["admins"] }] },
    ]);
    // Unrestricted, this DENY would deny every TCP connection to port 9090.
    expect(ofKind(result, "AuthorizationPolicy", "frontend-deny")[0]?.object.spec?.rules).toEqual([{ to: [{ operation: { paths: ["/internal/*"], ports: ["8080"] } }] }]);
  });

  it("treats requestPrincipals and methods as HTTP-only too", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from: { requestPrincipals: ["*"] }
      - to: { methods: [GET] }`, MIXED_PORTS),
    });
    expect(ofKind(result, "AuthorizationPolicy", "frontend-allow")[0]?.object.spec?.rules).toEqual([
      { from: [{ source: { requestPrincipals: ["*"] } }], to: [{ operation: { ports: ["8080"] } }] },
      { to: [{ operation: { methods: ["GET"], ports: ["8080"] } }] },
    ]);
    expect(result.diagnostics.map((d) => d.severity)).toEqual(["warning", "warning"]);
  });

  it("is an error to use HTTP-only fields on a component with no HTTP port", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from: { namespaces: [shop] }
      - from: { groups: [admins] }`, { ports: "ports: [{ port: 5432, appProtocol: tcp }]" }),
    });
    expect(errorsOf(result)).toEqual([
      { file: "app.yaml", line: 18, severity: "error", message: expect.stringContaining("allow[1] (it uses groups) acts on HTTP traffic only, and component frontend serves no HTTP port (ports: 5432/tcp)") as string },
    ]);
    // Rendered as written, so the rules and the diff see what Istio would get; the error fails the check.
    expect(ofKind(result, "AuthorizationPolicy", "frontend-allow")[0]?.object.spec?.rules).toEqual([
      { from: [{ source: { namespaces: ["shop"] } }] },
      { when: [{ key: "request.auth.claims[groups]", values: ["admins"] }] },
    ]);
  });

  it("is an error to give an HTTP-only entry a non-HTTP port of its own, and a warning to name a port the component lacks", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    deny:
      - to:
          paths: [/admin]
          ports: [8080, 9090, 7070]`, MIXED_PORTS),
    });
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ["error", 19, expect.stringContaining("port 9090 of frontend is not HTTP (tcp), and paths acts on HTTP traffic only: the deny entry would deny all traffic there") as string],
      ["warning", 19, expect.stringContaining("port 7070 is not a port of frontend (8080, 9090)") as string],
    ]);
    expect(ofKind(result, "AuthorizationPolicy", "frontend-deny")[0]?.object.spec?.rules).toEqual([{ to: [{ operation: { paths: ["/admin"], ports: ["8080", "9090", "7070"] } }] }]);
  });

  it("reports a malformed service account and path at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    allow:
      - from:
          serviceAccounts:
            - checkout
        to:
          paths:
            - admin`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [20, expect.stringContaining("`checkout` is not a service account: write it as namespace/name") as string],
      [23, expect.stringContaining("path `admin` must start with /") as string],
    ]);
  });

  it("reports an unknown key, naming the allowed ones", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    allow:\n      - from:\n          principals: [cluster.local/ns/shop/sa/checkout]") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [19, expect.stringContaining("unknown key `principals` in `allow.0.from`; allowed: serviceAccounts, namespaces, requestPrincipals, groups") as string],
    ]);
    expect(ofKind(result, "AuthorizationPolicy")).toEqual([]);
  });

  it("reports wrong types and values at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: access-policy
  properties:
    defaultDeny: "yes"
    allow:
      - to:
          methods: [get]
          ports: ["8080"]`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [17, expect.stringContaining("`defaultDeny` must be true or false") as string],
      [20, expect.stringContaining("`allow.0.to.methods.0` must be one of \"GET\"") as string],
      [21, expect.stringContaining("`allow.0.to.ports.0` must be an integer (got string \"8080\")") as string],
    ]);
  });

  it("rejects an empty entry, which would allow (or deny) everything", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: access-policy\n  properties:\n    allow:\n      - {}") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[18, expect.stringContaining("`allow.0` must not be empty: set from, to or both") as string]]);
  });
});
