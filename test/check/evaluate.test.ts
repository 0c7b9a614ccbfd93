import { describe, expect, it } from "vitest";
import { check, cleanApp, findingsOf, permissiveApp, STRICT_MESH } from "../support/check.js";

const mesh = { "mesh/defaults.yaml": STRICT_MESH };
describe("evaluate: findings on both sides", () => {
  it("passes a clean change with no mesh effect, and says so", () => {
    const files = { ...mesh, "apps/catalog.yaml": cleanApp("catalog") };
    const verdict = check({ base: files, head: files });
    expect(verdict.conclusion).toBe("success");
    expect(verdict.title).toBe("Passed: no mesh changes");
    expect(verdict.findings.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual([]);
  });

  it("marks a finding the base already had as preexisting, and a new one as new and blocking", () => {
    const base = { ...mesh, "apps/a.yaml": permissiveApp("catalog"), "apps/b.yaml": cleanApp("orders") };
    const head = { ...base, "apps/b.yaml": permissiveApp("orders") };
    const verdict = check({ base, head });
    expect(findingsOf(verdict, "MTLS-002")).toEqual([
      { status: "new", blocking: true, resource: "PeerAuthentication shop/orders" },
      { status: "preexisting", blocking: false, resource: "PeerAuthentication shop/catalog" },
    ]);
    expect(verdict.conclusion).toBe("failure");
  });

  it("catches a cross-resource regression on an unchanged resource: dropping the JWT requirement fires AUTHN-001", () => {
    const jwt = (requireToken: boolean): string =>
      cleanApp("frontend", `- type: jwt-auth
  properties:
    requireToken: ${requireToken}
    issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json, audiences: [shop] }]`);
    const verdict = check({ base: { ...mesh, "apps/f.yaml": jwt(true) }, head: { ...mesh, "apps/f.yaml": jwt(false) } });
    expect(verdict.changes.changes.map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual(["removed AuthorizationPolicy frontend-require-jwt"]);
    expect(findingsOf(verdict, "AUTHN-001")).toEqual([{ status: "new", blocking: true, resource: "RequestAuthentication shop/frontend-jwt" }]);
    expect(verdict.conclusion).toBe("failure");
  });
});

describe("evaluate: configuration", () => {
  const base = { ...mesh, "apps/a.yaml": cleanApp("catalog") };
  const head = { ...mesh, "apps/a.yaml": permissiveApp("catalog") };

  it("applies a valid waiver from the base config: waived, visible, not blocking", () => {
    const config = `waivers:
  - rule: MTLS-002
    resource: { kind: PeerAuthentication, namespace: shop, name: catalog }
    justification: legacy importer during migration
    ticket: SEC-7
    expires: 2026-12-31
`;
    const verdict = check({ base, head, config });
    expect(findingsOf(verdict, "MTLS-002")).toEqual([{ status: "waived", blocking: false, resource: "PeerAuthentication shop/catalog" }]);
    expect(verdict.findings.find((f) => f.rule === "MTLS-002")?.waiver).toMatchObject({ ticket: "SEC-7", expires: "2026-12-31", expired: false });
    expect(verdict.conclusion).toBe("success");
  });

  it("an expired waiver no longer applies, and says so", () => {
    const config = `waivers:
  - { rule: MTLS-002, resource: { kind: PeerAuthentication, namespace: shop, name: catalog }, justification: x, ticket: SEC-7, expires: 2026-11-27 }
`;
    const verdict = check({ base, head, config, now: "2026-11-28T00:00:01Z" });
    expect(findingsOf(verdict, "MTLS-002")).toEqual([{ status: "new", blocking: true, resource: "PeerAuthentication shop/catalog" }]);
    expect(verdict.findings.find((f) => f.rule === "MTLS-002")?.waiver).toMatchObject({ ticket: "SEC-7", expired: true });
    // Valid through its last day.
    expect(check({ base, head, config, now: "2026-11-27T23:59:59Z" }).conclusion).toBe("success");
  });

  it("a waiver in the head's config does not apply: policy comes from the base", () => {
    const headConfig = `waivers:
  - { rule: MTLS-002, resource: { kind: PeerAuthentication, namespace: shop, name: catalog }, justification: x, ticket: SEC-7, expires: 2099-01-01 }
`;
    const verdict = check({ base, head: { ...head, ".github/meshgate.yml": headConfig }, headConfig });
    expect(findingsOf(verdict, "MTLS-002")[0]?.status).toBe("new");
    expect(verdict.conclusion).toBe("failure");
  });

  it("failOn sets the lowest blocking severity, and overrides change a rule's severity or turn it off", () => {
    expect(check({ base, head, config: "rules: { failOn: critical }\n" }).conclusion).toBe("success");
    expect(check({ base, head, config: "rules: { overrides: { MTLS-002: { severity: low } } }\n" }).conclusion).toBe("success");
    const disabled = check({ base, head, config: "rules: { overrides: { MTLS-002: { enabled: false } } }\n" });
    expect(findingsOf(disabled, "MTLS-002")).toEqual([]);
    expect(check({ base, head, config: "rules: { failOn: high }\n" }).conclusion).toBe("failure");
  });

  it("blockPreexisting makes findings the base already had block", () => {
    const unchanged = { ...mesh, "apps/a.yaml": permissiveApp("catalog") };
    expect(check({ base: unchanged, head: unchanged }).conclusion).toBe("success");
    const blocked = check({ base: unchanged, head: unchanged, config: "rules: { blockPreexisting: true }\n" });
    expect(findingsOf(blocked, "MTLS-002")).toEqual([{ status: "preexisting", blocking: true, resource: "PeerAuthentication shop/catalog" }]);
    expect(blocked.conclusion).toBe("failure");
  });

  it("an invalid base config fails the check with its diagnostic, never falling back silently", () => {
    const files = { ...mesh, "apps/a.yaml": cleanApp("catalog") };
    const verdict = check({ base: files, head: files, config: "rules: { failOn: severe }\n" });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.diagnostics.config.map((d) => [d.file, d.line, d.severity])).toEqual([[".github/meshgate.yml", 1, "error"]]);
  });

  it("a PR that breaks the config file fails, though its edit is never applied", () => {
    const files = { ...mesh, "apps/a.yaml": cleanApp("catalog") };
    const headConfig = "rules: { failOn: whenever }\n";
    const verdict = check({ base: files, head: { ...files, ".github/meshgate.yml": headConfig }, headConfig });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.diagnostics.head.map((d) => d.message)).toEqual([expect.stringContaining("`rules.failOn` must be one of") as string]);
  });
});

describe("evaluate: diagnostics", () => {
  it("an error in the head fails the check; the same error only in the base does not", () => {
    const good = { ...mesh, "apps/a.yaml": cleanApp("catalog") };
    const broken = { ...good, "apps/b.yaml": "kind: [\n" };
    expect(check({ base: good, head: broken }).conclusion).toBe("failure");
    expect(check({ base: broken, head: good }).conclusion).toBe("success");
  });
});
