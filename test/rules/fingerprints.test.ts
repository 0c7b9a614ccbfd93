import { describe, expect, it } from "vitest";
import { loadConfig, type Waiver } from "../../src/core/config/config.js";
import { classifyFindings, type Finding } from "../../src/core/rules/classify-findings.js";
import { runRules, type RuleFinding } from "../../src/core/rules/run-rules.js";
import { catalogRules, ruleInput } from "../support/rules.js";

const rules = catalogRules().filter((r) => r.check !== undefined);
const config = loadConfig("mesh: { mtls: STRICT }").config;

function findings(rule: string, head: string, base?: string): RuleFinding[] {
  return runRules({ rules: rules.filter((r) => r.id === rule), input: ruleInput({ head, ...(base !== undefined ? { base } : {}), config }), overrides: {} });
}

function classify(params: { rule: string; base: string; head: string; waivers?: Waiver[] }): Finding[] {
  const { rule, base, head, waivers = [] } = params;
  return classifyFindings({ head: findings(rule, head, base), base: findings(rule, base), waivers, today: "2026-06-01" });
}

const peerAuthentication = (spec: string): string => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: legacy, namespace: shop }
spec:
${spec}`;

const allowPolicy = (spec: string): string => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api, namespace: shop }
spec:
${spec}`;

/** Gateway edge/public serving `host` over HTTPS. */
const gateway = (host: string): string => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: edge }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: ["${host}"]
      tls: { mode: SIMPLE, credentialName: cert }
`;

const waiver = (extra: Partial<Waiver> = {}): Waiver => ({
  rule: "MTLS-002",
  resource: { kind: "PeerAuthentication", namespace: "shop", name: "legacy" },
  justification: "a legacy client speaks plaintext",
  ticket: "SEC-12",
  expires: "2026-12-31",
  ...extra,
});

const permissiveForApi = peerAuthentication("  selector: { matchLabels: { app: api } }\n  mtls: { mode: PERMISSIVE }\n");

describe("a pre-existing finding", () => {
  it("is new when its mode got weaker (PERMISSIVE → DISABLE), and says so", () => {
    const [finding] = classify({ rule: "MTLS-002", base: permissiveForApi, head: permissiveForApi.replace("PERMISSIVE", "DISABLE") });
    expect(finding?.status).toBe("new");
    expect(finding?.worsened).toBe("value worse: PERMISSIVE became DISABLE");
  });

  it("stays pre-existing when its mode got stronger (DISABLE → PERMISSIVE)", () => {
    const disabled = permissiveForApi.replace("PERMISSIVE", "DISABLE");
    expect(classify({ rule: "MTLS-002", base: disabled, head: permissiveForApi }).map((f) => f.status)).toEqual(["preexisting"]);
  });

  it("is new when its selector was removed: the whole namespace now accepts plaintext", () => {
    const [finding] = classify({ rule: "MTLS-002", base: permissiveForApi, head: peerAuthentication("  mtls: { mode: PERMISSIVE }\n") });
    expect(finding?.status).toBe("new");
    expect(finding?.worsened).toBe("scope widened from workloads app=api in namespace shop to every workload in namespace shop");
  });

  it("stays pre-existing when its selector was narrowed", () => {
    const narrower = permissiveForApi.replace("{ app: api }", "{ app: api, tier: edge }");
    expect(classify({ rule: "MTLS-002", base: permissiveForApi, head: narrower }).map((f) => f.status)).toEqual(["preexisting"]);
  });

  it("is new when an allow-all rule's policy loses its selector, and mesh-wide in the root namespace", () => {
    const scoped = allowPolicy("  selector: { matchLabels: { app: api } }\n  rules: [{}]\n");
    expect(classify({ rule: "AUTHZ-002", base: scoped, head: allowPolicy("  rules: [{}]\n") }).map((f) => [f.status, f.worsened])).toEqual([
      ["new", "scope widened from workloads app=api in namespace shop to every workload in namespace shop"],
    ]);
    const namespaced = allowPolicy("  rules: [{}]\n").replace("namespace: shop", "namespace: istio-system");
    const selected = namespaced.replace("spec:\n", "spec:\n  selector: { matchLabels: { app: api } }\n");
    expect(classify({ rule: "AUTHZ-002", base: selected, head: namespaced }).map((f) => [f.status, f.worsened])).toEqual([
      ["new", "scope widened from workloads app=api in every namespace to every workload in the mesh"],
    ]);
  });

  it("is new when a targetRefs-bound allow-all gains a target, pre-existing when it loses one", () => {
    const bound = (...gateways: string[]): string => allowPolicy(`  targetRefs: [${gateways.map((g) => `{ kind: Gateway, group: gateway.networking.k8s.io, name: ${g} }`).join(", ")}]\n  rules: [{}]\n`);
    expect(classify({ rule: "AUTHZ-002", base: bound("public"), head: bound("public", "admin") }).map((f) => [f.status, f.worsened])).toEqual([
      ["new", "scope widened from targets Gateway.gateway.networking.k8s.io/shop/public to targets Gateway.gateway.networking.k8s.io/shop/admin, Gateway.gateway.networking.k8s.io/shop/public"],
    ]);
    expect(classify({ rule: "AUTHZ-002", base: bound("public", "admin"), head: bound("public") }).map((f) => f.status)).toEqual(["preexisting"]);
  });

  it("is new when a host was widened into a wildcard", () => {
    const classified = classify({ rule: "EDGE-003", base: gateway("*.shop.example.com"), head: gateway("*") });
    expect(classified.map((f) => f.status)).toEqual(["new"]);
  });

  it("stays pre-existing when an earlier rule of the list is removed or the rules are reordered", () => {
    const rulesOf = (...r: string[]): string => allowPolicy(`  selector: { matchLabels: { app: api } }\n  rules:\n${r.map((x) => `    - ${x}\n`).join("")}`);
    const named = "{ from: [{ source: { principals: [cluster.local/ns/shop/sa/web] } }] }";
    const negative = "{ to: [{ operation: { notPaths: [/admin/*] } }] }";
    const base = rulesOf(named, "{}", negative);
    for (const head of [rulesOf("{}", negative), rulesOf(negative, "{}"), rulesOf(negative, named, "{}")]) {
      expect(classify({ rule: "AUTHZ-002", base, head }).map((f) => f.status)).toEqual(["preexisting"]);
      expect(classify({ rule: "AUTHZ-003", base, head }).map((f) => f.status)).toEqual(["preexisting"]);
    }
  });
});

describe("a waiver", () => {
  it("waives the finding as it was waived", () => {
    expect(classify({ rule: "MTLS-002", base: permissiveForApi, head: permissiveForApi, waivers: [waiver()] }).map((f) => f.status)).toEqual(["waived"]);
  });

  it("stops covering a finding whose mode got worse, and says so", () => {
    const [finding] = classify({ rule: "MTLS-002", base: permissiveForApi, head: permissiveForApi.replace("PERMISSIVE", "DISABLE"), waivers: [waiver()] });
    expect(finding?.status).toBe("new");
    expect(finding?.waiver?.lapsed).toBe("value worse: PERMISSIVE became DISABLE");
    expect(finding?.message).toContain("waiver SEC-12 no longer covers it");
  });

  it("stops covering a finding whose scope widened", () => {
    const [finding] = classify({ rule: "MTLS-002", base: permissiveForApi, head: peerAuthentication("  mtls: { mode: PERMISSIVE }\n"), waivers: [waiver()] });
    expect(finding?.status).toBe("new");
    expect(finding?.waiver?.lapsed).toMatch(/^scope widened/);
  });

  it("stops covering a finding whose host was widened into a wildcard", () => {
    const edgeWaiver = waiver({ rule: "EDGE-003", resource: { kind: "Gateway", namespace: "edge", name: "public" } });
    const base = gateway("*.shop.example.com");
    expect(classify({ rule: "EDGE-003", base, head: base, waivers: [edgeWaiver] }).map((f) => f.status)).toEqual(["waived"]);
    const [finding] = classify({ rule: "EDGE-003", base, head: gateway("*"), waivers: [edgeWaiver] });
    expect(finding?.status).toBe("new");
    expect(finding?.message).toContain("waiver SEC-12 no longer covers it");
    expect(finding?.waiver?.lapsed).toBe("hosts[*] is not what it waived (hosts[*.shop.example.com])");
  });

  it("that names a value covers only that value", () => {
    const head = permissiveForApi.replace("PERMISSIVE", "DISABLE");
    expect(classify({ rule: "MTLS-002", base: head, head, waivers: [waiver({ value: "PERMISSIVE" })] }).map((f) => f.status)).toEqual(["preexisting"]);
    expect(classify({ rule: "MTLS-002", base: head, head, waivers: [waiver({ value: "DISABLE" })] }).map((f) => f.status)).toEqual(["waived"]);
  });

  it("that names a key covers only that key", () => {
    const head = peerAuthentication("  mtls: { mode: PERMISSIVE }\n  portLevelMtls: { 8080: { mode: DISABLE } }\n");
    const classified = classify({ rule: "MTLS-002", base: head, head, waivers: [waiver({ key: "portLevelMtls[8080].mode" })] });
    expect(classified.map((f) => [f.key, f.status]).sort()).toEqual([
      ["mtls.mode", "preexisting"],
      ["portLevelMtls[8080].mode", "waived"],
    ]);
  });

  it("without a namespace is a config error", () => {
    const loaded = loadConfig(`waivers:\n  - { rule: MTLS-002, resource: { kind: PeerAuthentication, name: legacy }, justification: j, ticket: T-1, expires: "2026-12-31" }\n`);
    expect(loaded.diagnostics.map((d) => d.message).join(" ")).toMatch(/namespace/);
  });
});
