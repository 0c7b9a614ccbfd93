import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultConfig, loadConfig, type Config } from "../../../src/core/config/config.js";
import { classifyFindings } from "../../../src/core/rules/classify-findings.js";
import { runRules, type RuleFinding } from "../../../src/core/rules/run-rules.js";
import { catalogRules, ruleInput } from "../../support/rules.js";

const RULES = ["MTLS-001", "MTLS-002", "MTLS-003", "MTLS-004", "EDGE-001", "EDGE-002", "EDGE-003", "EDGE-004", "EDGE-006"];
const rules = catalogRules().filter((r) => RULES.includes(r.id));

// STRICT enforced outside the repository, so that MTLS-001 speaks only where a test asks it to.
const strictMesh = loadConfig("mesh: { mtls: STRICT }").config;

function findings(head: string, base?: string, config: Config = strictMesh): RuleFinding[] {
  return runRules({ rules, input: ruleInput({ head, ...(base !== undefined ? { base } : {}), config }), overrides: {} });
}

/** The findings as `RULE Kind/ns/name key` (or `RULE config key`), without the API group. */
function keys(list: RuleFinding[]): string[] {
  return list.map((f) => `${f.rule} ${f.resource ? `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}` : "config"} ${f.fingerprint.split("|")[2] ?? ""}`).sort();
}

function status(head: string, base: string): [string, string][] {
  return classifyFindings({ head: findings(head, base), base: findings(base), waivers: [], today: "2026-01-01" }).map((f) => [f.rule, f.status]);
}

const lineOf = (text: string, needle: string): number => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

const meshWideStrict = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec:
  mtls: { mode: STRICT }
`;

const app = (traits: string): string => `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: storefront, namespace: shop }
spec:
  components:
    - name: frontend
      type: webservice
      properties:
        image: ghcr.io/acme/frontend:1.0.0
        ports: [{ port: 8080 }]
      traits:
${traits}
`;

const ingress = `
        - type: mesh-ingress
          properties:
            hosts: [shop.example.com]
            tls: { credentialName: shop-example-com-tls, minProtocolVersion: TLSV1_2 }`;

const accessPolicy = `
        - type: access-policy
          properties:
            allow:
              - from: { serviceAccounts: ["istio-system/istio-ingressgateway-service-account"] }
                to: { methods: [GET, POST] }`;

const clean = app(`
        - type: mtls
          properties: { mode: STRICT }${accessPolicy}
        - type: jwt-auth
          properties:
            issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json, audiences: [storefront] }]${ingress}
        - type: http-resilience
          properties:
            timeout: 5s
            retries: { attempts: 2, perTryTimeout: 2s }
        - type: egress
          properties: { hosts: [api.payments.example.net] }
`);

describe("the encryption and edge rules", () => {
  it("raise nothing on an application in the style the traits render by default, in a STRICT mesh", () => {
    expect(ruleInput({ head: clean }).render.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(keys(findings(`${clean}\n---\n${meshWideStrict}`, undefined, defaultConfig()))).toEqual([]);
    expect(keys(findings(clean))).toEqual([]);
  });

  it("report only the mesh-wide mode, on the config file, when nothing says the mesh is STRICT", () => {
    const list = findings(clean, undefined, defaultConfig());
    expect(keys(list)).toEqual(["MTLS-001 config config:mesh.mtls"]);
    expect(list.map((f) => [f.file, f.line])).toEqual([[".github/meshgate.yml", 1]]);
  });

  it("raise nothing on examples/shop", () => {
    const dir = new URL("../../../examples/shop/", import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort();
    const head = files.map((f) => readFileSync(new URL(f, dir), "utf8")).join("\n---\n");
    const config = loadConfig(readFileSync(new URL(".github/meshgate.yml", dir), "utf8")).config;
    expect(keys(findings(head, undefined, config))).toEqual([]);
  });

  it("mark EDGE-006 new on an unchanged Deployment when the PR drops its access policy", () => {
    const base = app(`${ingress}${accessPolicy}`);
    const head = app(ingress);
    expect(keys(findings(head, base))).toEqual(["EDGE-006 Deployment/shop/frontend ingress-reachable"]);
    expect(status(head, base)).toEqual([["EDGE-006", "new"]]);
    // Annotated where the Deployment comes from (the component's properties): the workload is what lacks a guard.
    expect(findings(head).map((f) => f.line)).toEqual([lineOf(head, "properties:")]);
  });

  it("mark EDGE-006 new when the PR removes a namespace-wide allow-nothing policy elsewhere", () => {
    const allowNothing = "\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-nothing, namespace: shop }\nspec: {}\n";
    const head = app(ingress);
    expect(status(head, head + allowNothing)).toEqual([["EDGE-006", "new"]]);
  });

  it("keep EDGE-006 preexisting when another gateway route reaches the same workload", () => {
    const route = (name: string): string => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: shop }
spec:
  hosts: [${name}.example.com]
  gateways: [istio-ingress/public-gw]
  http: [{ route: [{ destination: { host: frontend } }] }]
`;
    const base = app(ingress);
    expect(status(base + route("extra"), base)).toEqual([["EDGE-006", "preexisting"]]);
  });

  it("anchor findings on rendered resources at the trait that wrote them", () => {
    const head = app(`
        - type: mtls
          properties: { mode: STRICT, portLevel: { "8080": PERMISSIVE } }
        - type: mesh-ingress
          properties:
            hosts: ["*.shop.example.com"]
            tls: { credentialName: shop-tls, minProtocolVersion: TLSV1_1 }${accessPolicy}`);
    const list = findings(head);
    expect(keys(list)).toEqual([
      "EDGE-002 Gateway/shop/frontend-gw servers[443/https-frontend].tls.minProtocolVersion",
      "EDGE-003 Gateway/shop/frontend-gw hosts[./*.shop.example.com]",
      "EDGE-004 VirtualService/shop/frontend-ingress hosts[*.shop.example.com]",
      "MTLS-002 PeerAuthentication/shop/frontend portLevelMtls[8080].mode",
    ]);
    const at = Object.fromEntries(list.map((f) => [f.rule, f.line]));
    expect(at).toEqual({
      "EDGE-002": lineOf(head, "type: mesh-ingress"),
      "EDGE-003": lineOf(head, "type: mesh-ingress"),
      "EDGE-004": lineOf(head, "type: mesh-ingress"),
      "MTLS-002": lineOf(head, "type: mtls"),
    });
  });

  it("keep Gateway and DestinationRule findings preexisting when servers or settings are reordered or added", () => {
    const gateway = (servers: string[]): string => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
${servers.join("")}`;
    const http = "    - { port: { number: 80, name: http, protocol: HTTP }, hosts: [a.example.com] }\n";
    const old = "    - { port: { number: 443, name: https, protocol: HTTPS }, hosts: [a.example.com], tls: { mode: SIMPLE, credentialName: a, minProtocolVersion: TLSV1_0 } }\n";
    const added = "    - { port: { number: 8443, name: https-b, protocol: HTTPS }, hosts: [b.example.com], tls: { mode: SIMPLE, credentialName: b } }\n";
    expect(status(gateway([added, old, http]), gateway([http, old]))).toEqual([
      ["EDGE-001", "preexisting"],
      ["EDGE-002", "preexisting"],
    ]);

    const rule = (settings: string[]): string => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  trafficPolicy:
    portLevelSettings:
${settings.join("")}`;
    const plain = "      - { port: { number: 9090 }, tls: { mode: DISABLE } }\n";
    const fine = "      - { port: { number: 8080 }, tls: { mode: ISTIO_MUTUAL } }\n";
    expect(status(rule([fine, plain]), rule([plain]))).toEqual([["MTLS-003", "preexisting"]]);
  });

  it("never throw on documents Istio would reject", () => {
    const kinds = ["PeerAuthentication", "DestinationRule", "Gateway", "VirtualService", "ServiceEntry", "AuthorizationPolicy"];
    const specs = ['"x"', "[1, null]", "null", "{ mtls: 3, portLevelMtls: { a: null }, selector: 7 }", "{ trafficPolicy: { tls: [1], portLevelSettings: [null, { tls: 5 }] }, subsets: [null, { trafficPolicy: 4 }] }",
      "{ servers: [null, 3, { port: null, hosts: [1, null], tls: [] }, { port: { protocol: 7 }, tls: { mode: 5, minProtocolVersion: 3 } }] }",
      "{ hosts: 5, gateways: [1, mesh, gw], http: [null, { route: 3, mirror: 4, mirrors: [null], delegate: { name: 5 } }], tcp: 1 }",
      "{ exportTo: 5, location: 3, hosts: [null] }", "{ action: 7, rules: [null, { from: [null, { source: 3 }] }] }"];
    const documents = kinds.flatMap((kind, i) => specs.map((spec, j) => `apiVersion: ${kind === "PeerAuthentication" || kind === "AuthorizationPolicy" ? "security" : "networking"}.istio.io/v1
kind: ${kind}
metadata: { name: odd-${i}-${j}, namespace: istio-system }
spec: ${spec}`));
    const head = `${app(ingress)}\n---\n${documents.join("\n---\n")}`;
    expect(() => findings(head)).not.toThrow();
  });
});

describe("a ServiceEntry named in a finding", () => {
  it("is named by namespace/name, with its hosts or with none (EDGE-004)", () => {
    const entries = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments, namespace: shop }
spec:
  hosts: [api.payments.example.net]
  ports: [{ number: 443, name: tls, protocol: TLS }]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: hostless, namespace: shop }
spec:
  ports: [{ number: 443, name: tls, protocol: TLS }]
`;
    const messages = findings(entries).filter((f) => f.rule === "EDGE-004").map((f) => f.message).sort();
    expect(messages).toEqual([
      "MESH_EXTERNAL ServiceEntry shop/hostless with no hosts, exported to every namespace: it reaches further than the names that need it.",
      "MESH_EXTERNAL ServiceEntry shop/payments for api.payments.example.net, exported to every namespace: it reaches further than the names that need it.",
    ]);
    for (const message of messages) expect(message).not.toContain("?");
  });
});
