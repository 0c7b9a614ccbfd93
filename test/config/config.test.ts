import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultConfig, loadConfig } from "../../src/core/config/config.js";
import { schemaDocuments } from "../../src/core/schema-documents.js";

describe("config", () => {
  it("is all defaults when the file is absent", () => {
    expect(loadConfig(undefined)).toEqual({
      config: {
        manifests: { include: ["**/*.yaml", "**/*.yml", "**/*.json"], exclude: [] },
        defaultNamespace: "default",
        mesh: {
          trustDomain: "cluster.local",
          clusterDomain: "cluster.local",
          rootNamespace: "istio-system",
          mtls: "PERMISSIVE",
          defaultDeny: false,
          ingress: { namespace: "istio-system", selector: { istio: "ingressgateway" } },
          gateways: [],
        },
        rules: { failOn: "high", blockPreexisting: false, overrides: {} },
        waivers: [],
        approvals: { codeOwners: true, dismissStale: true, minimum: 1 },
      },
      diagnostics: [],
    });
  });

  it("fills defaults around what the file sets", () => {
    const { config, diagnostics } = loadConfig("mesh:\n  clusterDomain: corp.internal\n  ingress: { namespace: edge }\nrules: { failOn: medium }\n");
    expect(diagnostics).toEqual([]);
    expect(config.mesh.clusterDomain).toBe("corp.internal");
    expect(config.mesh.ingress).toEqual({ namespace: "edge", selector: { istio: "ingressgateway" } });
    expect(config.rules).toEqual({ failOn: "medium", blockPreexisting: false, overrides: {} });
  });

  it("reads the design's full example", () => {
    const { diagnostics } = loadConfig(`manifests:
  include: ["**/*.yaml", "**/*.yml"]
  exclude: ["charts/**"]
defaultNamespace: default
mesh:
  trustDomain: cluster.local
  clusterDomain: cluster.local
  rootNamespace: istio-system
  mtls: PERMISSIVE
  defaultDeny: false
  ingress: { namespace: istio-system, selector: { istio: ingressgateway } }
  gateways:
    - { name: istio-ingress/public-gw, hosts: ["*.example.com"] }
rules:
  failOn: high
  blockPreexisting: false
  overrides:
    TRAF-004: { severity: low }
    EGRESS-002: { enabled: false }
waivers:
  - rule: EDGE-003
    resource: { kind: Gateway, namespace: shop, name: shop-gw }
    justification: Legacy partner wildcard, migration tracked
    ticket: SEC-142
    expires: 2027-01-31
approvals:
  codeOwners: true
  dismissStale: true
  minimum: 1
  securityTeam: "@acme/security"
`);
    expect(diagnostics).toEqual([]);
  });

  it.each([
    ["an unknown key, naming the allowed ones", "mesh:\n  mtlsMode: STRICT\n", 2, "invalid config: unknown key `mtlsMode` in `mesh`; allowed: trustDomain, clusterDomain, rootNamespace, mtls, defaultDeny, ingress, gateways"],
    ["a value outside its enum, naming the allowed values", "rules:\n  failOn: severe\n", 2, 'invalid config: `rules.failOn` must be one of "critical", "high", "medium", "low" (got "severe")'],
    ["a wrong type", "approvals:\n  minimum: two\n", 2, 'invalid config: `approvals.minimum` must be an integer (got string "two")'],
    ["a waiver without expiry", "waivers:\n  - rule: EDGE-003\n    resource: { kind: Gateway, namespace: edge, name: gw }\n    justification: x\n    ticket: SEC-1\n", 2, "invalid config: missing required key `expires` in `waivers.0`"],
    ["a malformed date", "waivers:\n  - { rule: EDGE-003, resource: { kind: Gateway, namespace: edge, name: gw }, justification: x, ticket: SEC-1, expires: 31/01/2027 }\n", 2, 'invalid config: `waivers.0.expires` "31/01/2027" is not in the expected form (a date YYYY-MM-DD)'],
    ["malformed YAML", "mesh: [\n", 2, expect.stringMatching(/^YAML syntax error/) as string],
  ])("reports %s with file and line, and never falls back silently", (_, text, line, message) => {
    const { diagnostics } = loadConfig(text);
    expect(diagnostics).toEqual([{ file: ".github/meshgate.yml", line, severity: "error", message }]);
  });

  it("treats an empty file as defaults", () => {
    expect(loadConfig("# nothing yet\n")).toEqual({ config: defaultConfig(), diagnostics: [] });
  });

  it.each([...schemaDocuments()])("publishes %s, generated from the schema it validates with", (path, text) => {
    expect(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")).toBe(text);
  });
});
