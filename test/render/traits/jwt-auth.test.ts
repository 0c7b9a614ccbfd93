import { describe, expect, it } from "vitest";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const ISSUER = `- type: jwt-auth
  properties:
    issuers:
      - issuer: https://auth.example.com
        jwksUri: https://auth.example.com/.well-known/jwks.json
        audiences: [shop-api]`;

const SELECTOR = { matchLabels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "frontend" } };

describe("jwt-auth trait", () => {
  it("renders RequestAuthentication C-jwt and, by default, a DENY of requests without a token", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(ISSUER) });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "RequestAuthentication", "AuthorizationPolicy")).toMatchInlineSnapshot(`
      "apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: frontend-require-jwt
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
                  notRequestPrincipals:
                    - "*"
      ---
      apiVersion: security.istio.io/v1
      kind: RequestAuthentication
      metadata:
        name: frontend-jwt
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        jwtRules:
          - issuer: https://auth.example.com
            jwksUri: https://auth.example.com/.well-known/jwks.json
            audiences:
              - shop-api
      "
    `);
  });

  it("requires a token with a DENY on notRequestPrincipals, never with an ALLOW that would widen access", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(ISSUER) });
    const policies = ofKind(result, "AuthorizationPolicy");
    expect(policies.map((p) => p.object.metadata.name)).toEqual(["frontend-require-jwt"]);
    expect(policies[0]?.object.spec).toEqual({
      selector: SELECTOR,
      action: "DENY",
      rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }],
    });
    expect(ofKind(result, "RequestAuthentication", "frontend-jwt")[0]?.object.spec).toEqual({
      selector: SELECTOR,
      jwtRules: [{ issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/.well-known/jwks.json", audiences: ["shop-api"] }],
    });
  });

  it("traces both resources to the trait's line", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(ISSUER) });
    const expected = { file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "jwt-auth" };
    expect(ofKind(result, "RequestAuthentication")[0]?.source).toEqual(expected);
    expect(ofKind(result, "AuthorizationPolicy")[0]?.source).toEqual(expected);
  });

  it("renders every issuer field in a fixed order whatever the YAML's order", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: jwt-auth
  properties:
    requireToken: true
    issuers:
      - outputClaimToHeaders:
          - { claim: sub, header: x-user }
        forwardOriginalToken: true
        audiences: [a, b]
        issuer: https://one.example.com
      - issuer: https://two.example.com`),
    });
    expect(errorsOf(result)).toEqual([]);
    const jwtRules = ofKind(result, "RequestAuthentication")[0]?.object.spec?.jwtRules;
    expect(jwtRules).toEqual([
      { issuer: "https://one.example.com", audiences: ["a", "b"], forwardOriginalToken: true, outputClaimToHeaders: [{ header: "x-user", claim: "sub" }] },
      { issuer: "https://two.example.com" },
    ]);
    expect(JSON.stringify(jwtRules)).toBe(
      '[{"issuer":"https://one.example.com","audiences":["a","b"],"forwardOriginalToken":true,"outputClaimToHeaders":[{"header":"x-user","claim":"sub"}]},{"issuer":"https://two.example.com"}]',
    );
  });

  it("renders only the RequestAuthentication when requireToken is false", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(`${ISSUER}\n    requireToken: false`) });
    expect(result.diagnostics).toEqual([]);
    expect(ofKind(result, "RequestAuthentication").map((r) => r.object.metadata.name)).toEqual(["frontend-jwt"]);
    expect(ofKind(result, "AuthorizationPolicy")).toEqual([]);
  });

  it("limits the DENY to the HTTP ports of a component that also serves TCP, and warns", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(ISSUER, { ports: "ports: [{ port: 8080 }, { port: 9090, appProtocol: grpc }, { port: 5432, appProtocol: tcp }]" }),
    });
    expect(result.diagnostics).toEqual([
      { file: "app.yaml", line: 14, severity: "warning", message: "shop/frontend: jwt-auth: requiring a JWT acts on HTTP traffic only: limited to HTTP ports 8080, 9090 of frontend; its non-HTTP ports (5432/tcp) are not covered by it" },
    ]);
    expect(ofKind(result, "AuthorizationPolicy")[0]?.object.spec).toEqual({
      selector: SELECTOR,
      action: "DENY",
      rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { ports: ["8080", "9090"] } }] }],
    });
  });

  it("is an error on a component with no HTTP port", () => {
    const result = renderFiles({ "app.yaml": appWithTraits(ISSUER, { ports: "ports: [{ port: 5432, appProtocol: tcp }]" }) });
    expect(errorsOf(result)).toEqual([
      { file: "app.yaml", line: 14, severity: "error", message: expect.stringContaining("requiring a JWT acts on HTTP traffic only, and component frontend serves no HTTP port (ports: 5432/tcp)") as string },
    ]);
  });

  it("is an error on a worker, which serves nothing, even without requireToken", () => {
    const result = renderFiles({
      "app.yaml": `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop, namespace: shop }
spec:
  components:
    - name: jobs
      type: worker
      properties: { image: ghcr.io/acme/jobs:1.0.0 }
      traits:
        - type: jwt-auth
          properties:
            requireToken: false
            issuers: [{ issuer: https://auth.example.com }]
`,
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[10, expect.stringContaining("JWT validation acts on HTTP traffic only, and component jobs serves no HTTP port") as string]]);
  });

  it("reports a missing issuers list at the trait", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: jwt-auth\n  properties:\n    requireToken: true") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[16, expect.stringContaining("missing required key `issuers`") as string]]);
    expect(ofKind(result, "RequestAuthentication")).toEqual([]);
    expect(ofKind(result, "AuthorizationPolicy")).toEqual([]);
  });

  it("reports an unknown key and a wrong type at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: jwt-auth
  properties:
    issuers:
      - issuer: https://auth.example.com
        jwks_uri: https://auth.example.com/jwks
        forwardOriginalToken: "yes"`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [19, expect.stringContaining("unknown key `jwks_uri` in `issuers.0`; allowed: issuer, jwksUri, audiences, forwardOriginalToken, outputClaimToHeaders") as string],
      [20, expect.stringContaining("`issuers.0.forwardOriginalToken` must be true or false (got string \"yes\")") as string],
    ]);
  });

  it("rejects a jwksUri that is not an http(s) URL and an empty issuers list", () => {
    const uri = renderFiles({ "app.yaml": appWithTraits("- type: jwt-auth\n  properties:\n    issuers:\n      - issuer: x\n        jwksUri: ftp://keys") });
    expect(errorsOf(uri).map((d) => d.line)).toEqual([19]);
    const empty = renderFiles({ "app.yaml": appWithTraits("- type: jwt-auth\n  properties:\n    issuers: []") });
    expect(errorsOf(empty).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining("`issuers` must have at least 1 item") as string]]);
  });
});
