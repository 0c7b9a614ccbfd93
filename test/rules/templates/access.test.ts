import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultConfig, loadConfig } from "../../../src/core/config/config.js";
import { classifyFindings } from "../../../src/core/rules/classify-findings.js";
import { runRules, type RuleFinding } from "../../../src/core/rules/run-rules.js";
import { stableKey } from "../../../src/core/rules/stable-key.js";
import { catalogRules, ruleInput } from "../../support/rules.js";

const ACCESS_RULES = ["AUTHZ-001", "AUTHZ-002", "AUTHZ-003", "AUTHN-001", "AUTHN-002", "EGRESS-002", "MESH-002"];
const rules = catalogRules().filter((r) => ACCESS_RULES.includes(r.id));

function findings(head: string, base?: string, config = defaultConfig()): RuleFinding[] {
  return runRules({ rules, input: ruleInput({ head, ...(base !== undefined ? { base } : {}), config }), overrides: {} });
}

/** The finding keys, as `RULE kind/ns/name key`, without the API group. */
function keys(list: RuleFinding[]): string[] {
  return list.map((f) => `${f.rule} ${(f.resource?.identity ?? "").replace(/^[^/]*\//, "")} ${f.key}`).sort();
}

const app = (traits: string, properties = "image: ghcr.io/acme/api:1.0.0\n        ports: [{ port: 8080 }]"): string => `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop, namespace: shop }
spec:
  components:
    - name: api
      type: webservice
      properties:
        ${properties}
      traits:
${traits}
`;

const requestAuthentication = `
        - type: jwt-auth
          properties:
            requireToken: REQUIRE
            issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json, audiences: [api] }]
        - type: access-policy
          properties:
            allow: [{ from: { serviceAccounts: ["shop/frontend"] } }]
`;

describe("the access rules", () => {
  it("raise nothing on an application in the style the traits render by default", () => {
    const clean = app(`
        - type: mtls
          properties: { mode: STRICT }
        - type: access-policy
          properties:
            allow:
              - from: { serviceAccounts: ["istio-system/istio-ingressgateway-service-account"] }
                to: { methods: [GET, POST] }
        - type: jwt-auth
          properties:
            issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json, audiences: [api] }]
        - type: mesh-ingress
          properties:
            hosts: [api.example.com]
            tls: { credentialName: api-example-com-tls }
        - type: http-resilience
          properties:
            timeout: 5s
            retries: { attempts: 2, perTryTimeout: 2s }
        - type: egress
          properties: { hosts: [api.payments.example.net] }
`);
    expect(ruleInput({ head: clean }).render.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(keys(findings(clean))).toEqual([]);
  });

  it("raise on examples/shop only what is wrong there", () => {
    const dir = new URL("../../../examples/shop/", import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort();
    const head = files.map((f) => readFileSync(new URL(f, dir), "utf8")).join("\n---\n");
    expect(keys(findings(head))).toEqual([]);
  });

  it("mark AUTHN-001 new on an unchanged RequestAuthentication when the PR drops the token requirement", () => {
    const base = app(requestAuthentication.replace("REQUIRE", "true"));
    const head = app(requestAuthentication.replace("REQUIRE", "false"));
    const baseFindings = findings(base);
    const headFindings = findings(head, base);
    expect(keys(baseFindings)).toEqual([]);
    expect(keys(headFindings)).toEqual(["AUTHN-001 RequestAuthentication/shop/api-jwt workload/shop/api"]);
    const [finding] = classifyFindings({ head: headFindings, base: baseFindings, waivers: [], today: "2026-01-01" });
    expect(finding?.status).toBe("new");
    // The RequestAuthentication itself did not change: the finding is anchored at jwt-auth.
    expect(finding?.line).toBe(head.split("\n").findIndex((l) => l.includes("type: jwt-auth")) + 1);
  });

  it("resolve a root-namespace RequestAuthentication to the workloads it selects in every namespace", () => {
    const head = readFileSync(new URL("../fixtures/AUTHN-001/fires-root-namespace-authentication.yaml", import.meta.url), "utf8");
    expect(keys(findings(head)).filter((k) => k.startsWith("AUTHN-001"))).toEqual(["AUTHN-001 RequestAuthentication/istio-system/public-jwt workload/billing/invoices"]);
  });

  it("describe a RequestAuthentication of the root namespace, the default's or the configured one, as mesh-wide", () => {
    const authentication = (namespace: string): string => `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: ${namespace} }
spec:
  jwtRules: [{ issuer: "https://issuer.example.com" }]
`;
    const workload = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: app, image: app:1 }]
`;
    const messages = (head: string, config?: string): string[] =>
      runRules({ rules, input: ruleInput({ head, ...(config !== undefined ? { config: loadConfig(config).config } : {}) }), overrides: {} })
        .filter((f) => f.rule === "AUTHN-001")
        .map((f) => f.message);
    expect(messages(`${authentication("istio-system")}---${workload}`)).toEqual([
      "RequestAuthentication istio-system/jwt validates tokens for shop/web (mesh-wide: it is in the root namespace istio-system), but no policy requires one: requests without a token pass",
    ]);
    expect(messages(authentication("mesh-root"), "mesh: { rootNamespace: mesh-root }")).toEqual([
      "RequestAuthentication mesh-root/jwt validates tokens for the workloads in the mesh (none in this repository), but no policy requires one: requests without a token pass",
    ]);
    // Outside the root namespace it covers its own namespace only, and says nothing of the mesh.
    expect(messages(authentication("istio-system"), "mesh: { rootNamespace: mesh-root }")).toEqual([
      "RequestAuthentication istio-system/jwt validates tokens for the workloads in namespace istio-system (none in this repository), but no policy requires one: requests without a token pass",
    ]);
  });

  it("keep a finding preexisting across an unrelated edit of the same resource", () => {
    const base = app(requestAuthentication.replace("REQUIRE", "false"));
    const head = app(requestAuthentication.replace("REQUIRE", "false").replace("audiences: [api]", "audiences: [api, api-v2]"));
    const classified = classifyFindings({ head: findings(head, base), base: findings(base), waivers: [], today: "2026-01-01" });
    expect(classified.map((f) => [f.rule, f.status])).toEqual([["AUTHN-001", "preexisting"]]);
  });

  it("key AUTHZ-002 and AUTHZ-003 by rule and field, and point at them", () => {
    const head = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: p, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  rules:
    - from: [{ source: { principals: [cluster.local/ns/shop/sa/web] } }]
      to: [{ operation: { notPaths: ["/admin/*"] } }]
    - {}
`;
    expect(keys(findings(head))).toEqual([
      `AUTHZ-002 AuthorizationPolicy/shop/p rule/${stableKey({})}`,
      `AUTHZ-003 AuthorizationPolicy/shop/p rule/${stableKey({ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }], to: [{ operation: { notPaths: ["/admin/*"] } }] })}/to/${stableKey({ notPaths: ["/admin/*"] })}/notPaths`,
    ]);
  });

  it("key AUTHN-002 by issuer, so reordering the rules keeps its findings", () => {
    const ra = (rulesText: string): string => `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ra, namespace: shop }
spec:
  jwtRules:
${rulesText}`;
    const a = "    - { issuer: https://a.example.com, audiences: [x] }\n";
    const b = "    - { issuer: https://b.example.com, jwksUri: http://b.example.com/keys }\n";
    const expected = ["AUTHN-002 RequestAuthentication/shop/ra issuer/https://b.example.com/audiences", "AUTHN-002 RequestAuthentication/shop/ra issuer/https://b.example.com/jwksUri"];
    const authn002 = (text: string): string[] => keys(findings(text)).filter((k) => k.startsWith("AUTHN-002"));
    expect(authn002(ra(a + b))).toEqual(expected);
    expect(authn002(ra(b + a))).toEqual(expected);
  });

  it("key MESH-002 by annotation and anchor it at the component's properties", () => {
    const head = app("        - type: mtls", `image: ghcr.io/acme/api:1.0.0
        ports: [{ port: 8080 }]
        annotations:
          sidecar.istio.io/inject: "false"
          proxy.istio.io/config: "controlPlaneAuthPolicy: NONE"`);
    const list = findings(head);
    expect(keys(list)).toEqual([
      "AUTHZ-001 Deployment/shop/api open-to-every-caller",
      "MESH-002 Deployment/shop/api annotations/proxy.istio.io/config/controlPlaneAuthPolicy",
      "MESH-002 Deployment/shop/api annotations/sidecar.istio.io/inject",
    ]);
    expect(list.filter((f) => f.rule === "MESH-002").map((f) => f.line)).toEqual([9, 9]);
  });

  it("never throw on documents Istio would reject", () => {
    const garbage = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: a, namespace: shop }
spec: { action: 7, rules: "all", selector: [1] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: b, namespace: shop }
spec:
  rules: [null, 3, { from: 5, to: [null, { operation: "x" }], when: [{ key: 1, values: 2 }] }, { from: [{ source: { principals: "*", notPaths: null } }] }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: c, namespace: shop }
spec: { selector: { matchLabels: "x" }, jwtRules: [null, 3, { issuer: 4, jwksUri: 5, audiences: "x" }] }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: d, namespace: shop }
spec: { hosts: [1, null, "*"], location: 3 }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: e, namespace: shop }
spec: "nothing"
---
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: f, namespace: shop }
spec:
  components:
    - name: f
      type: k8s-objects
      properties:
        objects:
          - { apiVersion: apps/v1, kind: Deployment, metadata: { name: f }, spec: { template: { metadata: { annotations: 5, labels: [1] } } } }
          - { apiVersion: v1, kind: Pod, metadata: { name: g, annotations: { proxy.istio.io/config: "&a [*a, *a]" } } }
          - { apiVersion: batch/v1, kind: CronJob, metadata: { name: h }, spec: "x" }
`;
    expect(() => findings(garbage)).not.toThrow();
  });
});
