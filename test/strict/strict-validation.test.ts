import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KINDS } from "../../src/core/kinds.js";
import { buildMeshIndex } from "../../src/core/rules/mesh-index.js";
import { runRules } from "../../src/core/rules/run-rules.js";
import { celRule } from "../../src/core/strict/cel-rule.js";
import { ISTIO_CRD_SCHEMAS_JSON } from "../../src/core/strict/istio-crd-schemas.gen.js";
import { ISTIO_BUNDLE_PATH, istioSchemasModule } from "../../src/core/strict/istio-schemas-module.js";
import { VENDORED_ISTIO_RELEASE } from "../../src/core/strict/vendored-release.js";
import { GATEWAY_API_RELEASE } from "../../src/core/strict/gateway-api-checks.js";
import { GATEWAY_API_MODELS_VERSION } from "../../src/core/strict/gateway-api-fields.gen.js";
import { defaultConfig } from "../../src/core/config/config.js";
import { runCli } from "../support/cli.js";
import { tempTree } from "../support/temp-tree.js";
import { errorsOf, renderFiles } from "../support/render.js";
import { catalogRules } from "../support/rules.js";

const table = JSON.parse(ISTIO_CRD_SCHEMAS_JSON) as Record<string, object>;

/** [line, message] of the error diagnostics of one file. */
function errors(text: string): [number, string][] {
  return errorsOf(renderFiles({ "istio.yaml": text })).map((d) => [d.line, d.message]);
}

const POLICY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-all, namespace: shop }
spec:
  selector:
    matchLabels: { app: cart }
  action: ALLOW
  rules:
    - {}
`;

describe("the vendored Istio CRD bundle", () => {
  it("is what the generated schemas are extracted from (`npm run generate`)", () => {
    const bundleText = readFileSync(new URL(`../../${ISTIO_BUNDLE_PATH(VENDORED_ISTIO_RELEASE)}`, import.meta.url), "utf8");
    const generated = readFileSync(new URL("../../src/core/strict/istio-crd-schemas.gen.ts", import.meta.url), "utf8");
    expect(generated).toBe(istioSchemasModule({ release: VENDORED_ISTIO_RELEASE, bundleText }));
  });

  it("has a schema for every Istio kind and version of the registry, and no kind the registry lacks", () => {
    const registry = KINDS.filter((k) => k.family === "istio").flatMap((k) => k.versions.map((v) => `${k.group}/${v}/${k.kind}`)).sort();
    expect(Object.keys(table).sort()).toEqual(registry);
  });

  it("has CEL rules meshgate evaluates, and skips only those of Kubernetes' URL library", () => {
    const counts = { evaluable: 0, skipped: 0 };
    const skipped = new Set<string>();
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      const rules = (node as { "x-kubernetes-validations"?: { rule: string; message?: string }[] })["x-kubernetes-validations"];
      for (const entry of rules ?? []) {
        const rule = celRule(entry);
        counts[rule.status]++;
        if (rule.status === "skipped") skipped.add(rule.reason);
      }
      for (const value of Object.values(node)) walk(value);
    };
    walk(table);
    expect(counts.evaluable).toBeGreaterThan(300);
    expect([...skipped].every((reason) => /lacks (getScheme, )?(isURL, )?url/.test(reason))).toBe(true);
    expect(counts.skipped).toBeLessThan(10);
  });
});

describe("strict validation of raw Istio documents", () => {
  it("rejects an unknown spec field at its line", () => {
    expect(errors(POLICY.replace("  action: ALLOW", "  action: ALLOW\n  actoin: DENY"))).toEqual([
      [8, expect.stringContaining("AuthorizationPolicy shop/allow-all is not valid security.istio.io/v1: unknown key `actoin` in `spec`")],
    ]);
  });

  it("rejects an unknown nested field and one inside a list item, each at its line", () => {
    const text = POLICY.replace("    matchLabels: { app: cart }", "    matchLabels: { app: cart }\n    matchExpressions: []").replace("    - {}", "    - to:\n        - operation:\n            paths: [/admin]\n            pathz: [/x]");
    expect(errors(text)).toEqual([
      [7, expect.stringContaining("unknown key `matchExpressions` in `spec.selector`")],
      [13, expect.stringContaining("unknown key `pathz` in `spec.rules.0.to.0.operation`")],
    ]);
  });

  it("rejects an unknown top-level field, a wrong type and an enum violation", () => {
    const text = POLICY.replace("  action: ALLOW", "  action: PERMIT").replace("    - {}", "    - from: oops").concat("specs: {}\n");
    expect(errors(text)).toEqual([
      [7, expect.stringContaining('`spec.action` must be one of "ALLOW", "DENY", "AUDIT", "CUSTOM" (got "PERMIT")')],
      [9, expect.stringContaining("`spec.rules.0.from` must be a list (got string \"oops\")")],
      [10, expect.stringContaining("unknown key `specs`")],
    ]);
  });

  it("applies the CRDs' CEL rules: serviceAccounts with principals, a wildcard ServiceEntry host, a timeout under 1ms", () => {
    const policy = POLICY.replace("    - {}", "    - from:\n        - source: { serviceAccounts: [shop/cart], principals: [cluster.local/ns/shop/sa/cart] }");
    expect(errors(policy)).toEqual([[10, expect.stringContaining("Cannot set serviceAccounts with namespaces or principals")]]);
    const entry = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: any, namespace: shop }\nspec:\n  hosts: ['*']\n  resolution: NONE\n";
    expect(errors(entry)).toEqual([[5, expect.stringContaining("hostname cannot be wildcard")]]);
    const route = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: r, namespace: shop }\nspec:\n  hosts: [r]\n  http:\n    - route: [{ destination: { host: r } }]\n      timeout: 0.5ms\n";
    expect(errors(route)).toEqual([[8, expect.stringContaining("must be a valid duration greater than 1ms")]]);
  });

  it("says a rule it cannot evaluate once per kind and rule, with its uses, without failing", () => {
    const auth = (name: string): string => `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  jwtRules:\n    - issuer: https://id.example.com\n      jwksUri: https://id.example.com/keys\n`;
    const result = renderFiles({ "a.yaml": auth("a"), "b.yaml": auth("b") });
    expect(errorsOf(result)).toEqual([]);
    const notices = result.diagnostics.filter((d) => d.severity === "notice" && d.message.includes("is not evaluated"));
    expect(notices.map((d) => [d.file, d.line])).toEqual([["a.yaml", 7]]);
    expect(notices[0]?.message).toMatch(/^RequestAuthentication spec\.jwtRules\.0\.jwksUri: the CRD rule `url\(self\)\.getScheme\(\) in \["http", "https"\]` is not evaluated.*\(2 uses\)$/);
  });

  it("passes a valid document of each Istio kind", () => {
    const documents: Record<string, string> = {
      VirtualService: "hosts: [cart]\n  http:\n    - route: [{ destination: { host: cart, port: { number: 8080 } }, weight: 100 }]\n      timeout: 5s\n      retries: { attempts: 2, perTryTimeout: 1s }",
      DestinationRule: "host: cart\n  trafficPolicy:\n    tls: { mode: ISTIO_MUTUAL }\n    connectionPool: { tcp: { connectTimeout: 2s } }\n  subsets: [{ name: v1, labels: { version: v1 } }]",
      Gateway: "selector: { istio: ingressgateway }\n  servers:\n    - port: { number: 443, name: https, protocol: HTTPS }\n      hosts: [shop.example.com]\n      tls: { mode: SIMPLE, credentialName: shop-tls }",
      ServiceEntry: "hosts: [api.example.com]\n  ports: [{ number: 443, name: tls, protocol: TLS }]\n  resolution: DNS\n  location: MESH_EXTERNAL",
      Sidecar: "workloadSelector: { labels: { app: cart } }\n  egress: [{ hosts: ['./*', istio-system/*] }]",
      EnvoyFilter: "workloadSelector: { labels: { app: cart } }\n  configPatches:\n    - applyTo: HTTP_FILTER\n      match: { context: SIDECAR_INBOUND }\n      patch: { operation: INSERT_BEFORE, value: { name: example } }",
      WorkloadEntry: "address: 10.0.0.7\n  labels: { app: cart }\n  ports: { http: 8080 }\n  serviceAccount: cart",
      WorkloadGroup: "template: { serviceAccount: cart, ports: { http: 8080 } }\n  metadata: { labels: { app: cart } }",
      ProxyConfig: "selector: { matchLabels: { app: cart } }\n  concurrency: 2",
      AuthorizationPolicy: "selector: { matchLabels: { app: cart } }\n  action: DENY\n  rules: [{ from: [{ source: { notNamespaces: [shop] } }], to: [{ operation: { methods: [POST] } }] }]",
      PeerAuthentication: "selector: { matchLabels: { app: cart } }\n  mtls: { mode: STRICT }\n  portLevelMtls: { '8080': { mode: PERMISSIVE } }",
      RequestAuthentication: "selector: { matchLabels: { app: cart } }\n  jwtRules: [{ issuer: https://id.example.com, jwks: '{}' }]",
      Telemetry: "selector: { matchLabels: { app: cart } }\n  accessLogging: [{ providers: [{ name: envoy }] }]",
      WasmPlugin: "selector: { matchLabels: { app: cart } }\n  url: oci://ghcr.io/acme/filter:1.0\n  phase: AUTHN",
      TrafficExtension: "selector: { matchLabels: { app: cart } }\n  lua: { inlineCode: 'function envoy_on_request(h) end' }",
    };
    const istio = KINDS.filter((k) => k.family === "istio");
    expect(Object.keys(documents).sort()).toEqual(istio.map((k) => k.kind).sort());
    for (const info of istio) {
      for (const version of info.versions) {
        const text = `apiVersion: ${info.group}/${version}\nkind: ${info.kind}\nmetadata: { name: valid, namespace: shop }\nspec:\n  ${documents[info.kind] ?? ""}\n`;
        expect([info.kind, version, errors(text)]).toEqual([info.kind, version, []]);
      }
    }
  });

  it("still hands an invalid object to the rules: its finding fires", () => {
    const text = POLICY.replace("  action: ALLOW", "  action: ALLOW\n  actoin: DENY");
    const config = defaultConfig();
    const render = renderFiles({ "istio.yaml": text }, config);
    expect(errorsOf(render)).toHaveLength(1);
    const findings = runRules({ rules: catalogRules(), input: { render, index: buildMeshIndex(render, config), config }, overrides: {} });
    expect(findings.some((f) => f.resource?.name === "allow-all" && f.rule.startsWith("AUTHZ"))).toBe(true);
  });

  it("shows in `check` as an error at the field's line", async () => {
    const base = tempTree({ "apps/cart.yaml": POLICY.replace("allow-all", "cart") });
    const head = tempTree({ "apps/cart.yaml": POLICY.replace("allow-all", "cart").replace("  action: ALLOW", "  action: ALLOW\n  actoin: DENY") });
    const run = await runCli(["check", "--base", base, "--head", head, "--now", "2026-11-28T12:00:00Z"]);
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/apps\/cart\.yaml:8.*error.*unknown key `actoin` in `spec`/);
  });

  it("says what a Gateway API kind is held to: the model validators and its known fields, not the CEL rules", () => {
    const route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: r, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n";
    const result = renderFiles({ "route.yaml": route });
    expect(errorsOf(result)).toEqual([]);
    const notices = result.diagnostics.filter((d) => d.severity === "notice");
    expect(notices.map((d) => [d.file, d.line])).toEqual([["route.yaml", 1]]);
    expect(notices[0]?.message).toContain(`HTTPRoute gateway.networking.k8s.io/v1: checked with the @kubernetes-models/gateway-api ${GATEWAY_API_MODELS_VERSION} validators`);
    expect(notices[0]?.message).toContain(`Gateway API ${GATEWAY_API_RELEASE} name (unknown fields rejected); the CRDs' CEL rules are not checked`);
  });
});

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: frontend, namespace: shop }
spec:
  parentRefs: [{ name: edge }]
  hostnames: [shop.example.com]
  rules:
    - matches:
        - path: { type: PathPrefix, value: /admin }
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set: [{ name: x-env, value: prod }]
      backendRefs: [{ name: frontend, port: 8080 }]
`;

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  gatewayClassName: istio
  infrastructure:
    labels: { team: edge }
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      hostname: shop.example.com
      tls:
        mode: Terminate
        certificateRefs: [{ name: shop-cert }]
      allowedRoutes: { namespaces: { from: Same } }
`;

describe("strict validation of raw Gateway API documents (known fields of @kubernetes-models/gateway-api)", () => {
  const gatewayErrors = (file: string, text: string): [number, string][] => errorsOf(renderFiles({ [file]: text })).map((d) => [d.line, d.message]);

  it("accepts a valid HTTPRoute and Gateway, maps of any keys included", () => {
    expect(gatewayErrors("route.yaml", ROUTE)).toEqual([]);
    expect(gatewayErrors("gateway.yaml", GATEWAY)).toEqual([]);
  });

  it("rejects an unknown field in an HTTPRoute rule, and one in a filter, each at its line", () => {
    const text = ROUTE.replace("    - matches:", "    - matchs: []\n      matches:").replace("            set: [{ name: x-env, value: prod }]", "            set: [{ name: x-env, value: prod }]\n            sett: []");
    expect(gatewayErrors("route.yaml", text)).toEqual([
      [8, expect.stringContaining("HTTPRoute shop/frontend is not valid gateway.networking.k8s.io/v1: unknown key `matchs` in `spec.rules.0`; allowed: backendRefs, filters, matches") as string],
      [15, expect.stringContaining("unknown key `sett` in `spec.rules.0.filters.0.requestHeaderModifier`") as string],
    ]);
  });

  it("rejects an unknown field in a Gateway listener and in its TLS settings, each at its line", () => {
    const text = GATEWAY.replace("      hostname: shop.example.com", "      hostname: shop.example.com\n      allowedHosts: ['*']").replace("        mode: Terminate", "        mode: Terminate\n        minVersion: '1.0'");
    expect(gatewayErrors("gateway.yaml", text)).toEqual([
      [13, expect.stringContaining("Gateway shop/edge is not valid gateway.networking.k8s.io/v1: unknown key `allowedHosts` in `spec.listeners.0`") as string],
      [16, expect.stringContaining("unknown key `minVersion` in `spec.listeners.0.tls`") as string],
    ]);
  });

  it("rejects an unknown top-level field and one at an older served version", () => {
    expect(gatewayErrors("route.yaml", ROUTE.replace("spec:\n", "specs: {}\nspec:\n").replace("gateway.networking.k8s.io/v1\n", "gateway.networking.k8s.io/v1beta1\n"))).toEqual([
      [4, expect.stringContaining("unknown key `specs`; allowed: apiVersion, kind, metadata, spec, status") as string],
    ]);
  });

  it("fails the check at the field's line", async () => {
    const base = tempTree({ "gateway.yaml": GATEWAY });
    const head = tempTree({ "gateway.yaml": GATEWAY.replace("      port: 443", "      port: 443\n      prot: HTTP") });
    const run = await runCli(["check", "--base", base, "--head", head, "--now", "2026-11-28T12:00:00Z"]);
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/gateway\.yaml:11.*error.*unknown key `prot` in `spec\.listeners\.0`/);
  });

  it("is generated from the declarations of the installed @kubernetes-models/gateway-api, for every kind and version of the registry it declares", async () => {
    const { gatewayApiFieldsModule, gatewayApiKnownFields } = await import("../../scripts/gateway-api-fields.js");
    const generated = readFileSync(new URL("../../src/core/strict/gateway-api-fields.gen.ts", import.meta.url), "utf8");
    expect(generated).toBe(gatewayApiFieldsModule());
    const tree = gatewayApiKnownFields();
    const registry = KINDS.filter((k) => k.family === "gateway-api").flatMap((k) => k.versions.map((v) => `${k.group}/${v}/${k.kind}`));
    expect(Object.keys(tree.kinds).every((key) => registry.includes(key))).toBe(true);
    for (const key of ["gateway.networking.k8s.io/v1/Gateway", "gateway.networking.k8s.io/v1/HTTPRoute", "gateway.networking.k8s.io/v1/GRPCRoute", "gateway.networking.k8s.io/v1alpha2/TCPRoute", "gateway.networking.k8s.io/v1/ReferenceGrant", "gateway.networking.k8s.io/v1/BackendTLSPolicy"]) {
      expect(Object.keys(tree.kinds)).toContain(key);
    }
  }, 120_000);
});
