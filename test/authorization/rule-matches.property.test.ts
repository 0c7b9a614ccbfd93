import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuthorizationRequest } from "../../src/core/authorization/authorization-request.js";
import { coverage } from "../../src/core/authorization/ip-blocks.js";
import { ruleMatches, type AuthorizationAction } from "../../src/core/authorization/rule-matches.js";
import { ruleReach } from "../../src/core/authorization/rule-reach.js";
import { coversEvery } from "../../src/core/authorization/string-pattern.js";
import type { JsonObject, JsonValue } from "../../src/core/types.js";
import { PROPERTY_TIMEOUT_MS } from "../support/property-timeout.js";

// A direct, slow reading of Istio's AuthorizationPolicy matching, written apart from the model:
// patterns become regular expressions, addresses become bit strings, and every field is looked
// up by name in a table of what the request holds.

function patternRegex(pattern: string): RegExp {
  const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (pattern === "*") return /^.+$/s;
  if (pattern.length > 1 && pattern.endsWith("*")) return new RegExp(`^${quote(pattern.slice(0, -1))}`, "s");
  if (pattern.length > 1 && pattern.startsWith("*")) return new RegExp(`${quote(pattern.slice(1))}$`, "s");
  return new RegExp(`^${quote(pattern)}$`, "s");
}

function bits(address: string): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return address.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
  return undefined;
}

function inCidr(address: string, cidr: string): boolean {
  const [network = "", length] = cidr.split("/");
  const [a, n] = [bits(address), bits(network)];
  if (a === undefined || n === undefined) return false;
  const prefix = length === undefined ? 32 : Number(length);
  return a.slice(0, prefix) === n.slice(0, prefix);
}

const HTTP_ONLY = ["requestPrincipals", "hosts", "methods", "paths"];

function slowValues(request: AuthorizationRequest, name: string): string[] {
  const match = request.principal ? /^(.*)\/ns\/([^/]*)\/sa\/([^/]*)$/.exec(request.principal) : null;
  const table: Record<string, (string | undefined)[]> = {
    principals: [request.principal],
    namespaces: [match?.[2]],
    serviceAccounts: [match ? `${match[2]}/${match[3]}` : undefined],
    trustDomains: [match?.[1]],
    requestPrincipals: [request.requestPrincipal],
    hosts: [request.host?.toLowerCase()],
    methods: [request.method],
    paths: [request.path],
    ports: [String(request.port)],
    "source.ip": [request.sourceIp],
    "remote.ip": [request.remoteIp],
    "source.namespace": [match?.[2]],
    "source.principal": [request.principal],
    "request.auth.principal": [request.requestPrincipal],
    "destination.port": [String(request.port)],
  };
  const header = /^request\.headers\[(.*)\]$/.exec(name);
  if (header) return [request.headers[(header[1] ?? "").toLowerCase()]].filter((v): v is string => v !== undefined);
  const claim = /^request\.auth\.claims\[(.*)\]$/.exec(name);
  if (claim) return request.requestPrincipal ? (request.claims[claim[1] ?? ""] ?? []) : [];
  return (table[name] ?? []).filter((v): v is string => v !== undefined);
}

function slowHit(request: AuthorizationRequest, name: string, patterns: string[]): boolean {
  if (name === "ipBlocks") return patterns.some((p) => inCidr(request.sourceIp, p));
  if (name === "remoteIpBlocks") return patterns.some((p) => inCidr(request.remoteIp, p));
  if (name === "source.ip" || name === "remote.ip") return slowValues(request, name).some((v) => patterns.some((p) => inCidr(v, p)));
  const values = slowValues(request, name);
  const fold = (s: string): string => (name === "hosts" ? s.toLowerCase() : s);
  return values.some((v) => patterns.some((p) => patternRegex(fold(p)).test(v)));
}

function slowMatches(rule: JsonObject, action: AuthorizationAction, request: AuthorizationRequest): boolean {
  const tcp = request.protocol === "tcp";
  const clauses = (part: string, inner: string): JsonObject[] => ((rule[part] as JsonValue[] | undefined) ?? []).map((x) => ((x as JsonObject)[inner] ?? {}) as JsonObject);
  const conditions = (rule.when as JsonObject[] | undefined) ?? [];
  const usesHttp =
    [...clauses("from", "source"), ...clauses("to", "operation")].some((c) => Object.keys(c).some((k) => HTTP_ONLY.some((h) => k === h || k === `not${h[0]?.toUpperCase()}${h.slice(1)}`) && (c[k] as string[]).length > 0)) ||
    conditions.some((c) => typeof c.key === "string" && c.key.startsWith("request."));
  if (tcp && usesHttp && action === "ALLOW") return false;
  const clauseOk = (clause: JsonObject): boolean =>
    Object.entries(clause).every(([key, raw]) => {
      const patterns = raw as string[];
      if (patterns.length === 0) return true;
      const negative = key.startsWith("not");
      const name = negative ? `${key.charAt(3).toLowerCase()}${key.slice(4)}` : key;
      if (tcp && HTTP_ONLY.includes(name)) return true;
      return slowHit(request, name, patterns) !== negative;
    });
  const from = clauses("from", "source");
  const to = clauses("to", "operation");
  if (from.length > 0 && !from.some(clauseOk)) return false;
  if (to.length > 0 && !to.some(clauseOk)) return false;
  return conditions.every((c) => {
    const key = typeof c.key === "string" ? c.key : "";
    if (tcp && key.startsWith("request.")) return true;
    const values = (c.values as string[] | undefined) ?? [];
    const notValues = (c.notValues as string[] | undefined) ?? [];
    return (values.length === 0 || slowHit(request, key, values)) && (notValues.length === 0 || !slowHit(request, key, notValues));
  });
}

const TD = "cluster.local";
const principal = fc.constantFrom("cluster.local/ns/shop/sa/web", "cluster.local/ns/shop/sa/api", "cluster.local/ns/batch/sa/jobs", "other.td/ns/shop/sa/web");
const ip = fc.constantFrom("10.0.0.1", "10.1.2.3", "192.168.1.5", "8.8.8.8", "200.1.1.1");
const path = fc.constantFrom("/", "/api", "/api/v1/items", "/admin", "/admin/users", "/healthz");
const host = fc.constantFrom("shop.example.com", "SHOP.example.com", "api.internal", "evil.test");
const method = fc.constantFrom("GET", "POST", "DELETE", "PATCH");

const request: fc.Arbitrary<AuthorizationRequest> = fc.record({
  protocol: fc.constantFrom("http" as const, "tcp" as const),
  port: fc.constantFrom(8080, 9090),
  principal: fc.option(principal, { nil: undefined }),
  requestPrincipal: fc.option(fc.constantFrom("https://auth.example.com/alice", "https://other.example.com/bob"), { nil: undefined }),
  claims: fc.record({ groups: fc.subarray(["admin", "dev"]) }),
  sourceIp: ip,
  remoteIp: ip,
  destinationIp: fc.constant("10.9.9.9"),
  host,
  method,
  path,
  headers: fc.dictionary(fc.constantFrom("x-debug", "x-user"), fc.constantFrom("1", "admin", "yes")),
}).map((r) => {
  const out: AuthorizationRequest = { ...r };
  if (out.principal === undefined) delete out.principal;
  if (out.requestPrincipal === undefined) delete out.requestPrincipal;
  return out;
});

const values = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 3 });
const stringPattern = (arb: fc.Arbitrary<string>) => fc.oneof(arb, arb.map((s) => `${s.slice(0, 4)}*`), arb.map((s) => `*${s.slice(-4)}`), fc.constant("*"));

const source = fc.record(
  {
    principals: values(stringPattern(principal).map((p) => p)),
    notPrincipals: values(stringPattern(principal)),
    namespaces: values(fc.constantFrom("shop", "batch", "sh*", "*", "*op")),
    notNamespaces: values(fc.constantFrom("shop", "batch")),
    serviceAccounts: values(fc.constantFrom("shop/web", "batch/jobs")),
    requestPrincipals: values(fc.constantFrom("*", "https://auth.example.com/*", "https://auth.example.com/alice")),
    notRequestPrincipals: values(fc.constantFrom("*", "https://other.example.com/*")),
    ipBlocks: values(fc.constantFrom("10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/0", "192.168.1.5", "8.8.8.8/32")),
    notIpBlocks: values(fc.constantFrom("10.0.0.0/8", "192.168.0.0/16")),
    remoteIpBlocks: values(fc.constantFrom("10.0.0.0/8", "0.0.0.0/0")),
  },
  { requiredKeys: [] },
);
const operation = fc.record(
  {
    paths: values(fc.constantFrom("/api*", "/*", "*", "/admin", "*/users", "/healthz")),
    notPaths: values(fc.constantFrom("/admin*", "/healthz")),
    methods: values(fc.constantFrom("GET", "POST", "*", "P*")),
    notMethods: values(fc.constantFrom("DELETE")),
    hosts: values(fc.constantFrom("shop.example.com", "*.example.com", "*", "api.*")),
    notHosts: values(fc.constantFrom("evil.test")),
    ports: values(fc.constantFrom("8080", "9090")),
    notPorts: values(fc.constantFrom("9090")),
  },
  { requiredKeys: [] },
);
const condition = fc.oneof(
  fc.record({ key: fc.constantFrom("request.headers[x-debug]", "request.headers[X-User]"), values: values(fc.constantFrom("*", "1", "adm*")) }),
  fc.record({ key: fc.constantFrom("request.headers[x-debug]"), notValues: values(fc.constantFrom("1", "*")) }),
  fc.record({ key: fc.constant("request.auth.claims[groups]"), values: values(fc.constantFrom("admin", "*")) }),
  fc.record({ key: fc.constantFrom("source.ip", "remote.ip"), values: values(fc.constantFrom("10.0.0.0/8", "0.0.0.0/0")) }),
  fc.record({ key: fc.constantFrom("source.namespace"), values: values(fc.constantFrom("shop", "*")) }),
  fc.record({ key: fc.constant("destination.port"), values: values(fc.constantFrom("8080", "9090")) }),
);
const rule: fc.Arbitrary<JsonObject> = fc.record(
  {
    from: fc.array(source.map((s) => ({ source: s })), { maxLength: 2 }),
    to: fc.array(operation.map((o) => ({ operation: o })), { maxLength: 2 }),
    when: fc.array(condition, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const action = fc.constantFrom<AuthorizationAction>("ALLOW", "DENY");

describe("the authorization model", () => {
  it("matches a request exactly when a direct evaluation of Istio's rules does", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(rule, action, request, (r, a, req) => {
        expect(ruleMatches({ rule: r, action: a, request: req })).toBe(slowMatches(r, a, req));
      }),
      { numRuns: 3000 },
    );
  });

  it("says an ALLOW rule matches every request only when every caller's request to any path does", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(rule, request, principal.filter((p) => p.startsWith(`${TD}/`)), (r, req, peer) => {
        const reach = ruleReach({ rule: r, action: "ALLOW", context: { trustDomain: TD, ports: [8080, 9090], protocol: "http" } });
        if (!reach.everyRequest) return;
        // A caller without a token, with an mTLS identity, who sends whatever headers the rule asks for.
        const choices: Record<string, string>[] = [{}, { "x-debug": "fresh" }, { "x-user": "fresh" }, { "x-debug": "fresh", "x-user": "fresh" }];
        const matched = choices.some((headers) => {
          const caller: AuthorizationRequest = { ...req, protocol: "http", principal: peer, headers };
          delete caller.requestPrincipal;
          return slowMatches(r, "ALLOW", caller);
        });
        expect(matched).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("says a rule needs a token only when no request without one matches", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(rule, request, (r, req) => {
        if (!ruleReach({ rule: r, action: "ALLOW", context: { trustDomain: TD, ports: [8080], protocol: "http" } }).needsToken) return;
        const tokenless: AuthorizationRequest = { ...req, protocol: "http" };
        delete tokenless.requestPrincipal;
        expect(slowMatches(r, "ALLOW", tokenless)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it("says a DENY rule rejects every tokenless request only when it matches every one of them", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(rule, request, (r, req) => {
        if (!ruleReach({ rule: r, action: "DENY", context: { trustDomain: TD, ports: [8080, 9090], protocol: "http" } }).everyTokenless) return;
        const tokenless: AuthorizationRequest = { ...req, protocol: "http" };
        delete tokenless.requestPrincipal;
        expect(slowMatches(r, "DENY", tokenless)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the allow-all and token-requiring forms an attacker would write", () => {
    const context = { trustDomain: TD, ports: [8080], protocol: "http" as const };
    const every = (r: JsonObject): boolean => ruleReach({ rule: r, action: "ALLOW", context }).everyRequest;
    expect(every({ to: [{ operation: { paths: ["/*"] } }] })).toBe(true);
    expect(every({ from: [{ source: { principals: ["cluster.local/*"] } }] })).toBe(true);
    expect(every({ from: [{ source: { ipBlocks: ["0.0.0.0/1", "128.0.0.0/1"] } }] })).toBe(true);
    expect(every({ when: [{ key: "request.headers[x-anything]", values: ["*"] }] })).toBe(true);
    expect(every({ from: [{ source: { namespaces: [..."abcdefghijklmnopqrstuvwxyz0123456789".split("").map((c) => `${c}*`)] } }] })).toBe(true);
    expect(every({ from: [{ source: { requestPrincipals: ["*"] } }] })).toBe(false);
    expect(every({ from: [{ source: { ipBlocks: ["0.0.0.0/1"] } }] })).toBe(false);
    expect(every({ to: [{ operation: { paths: ["/api/*"] } }] })).toBe(false);
    expect(every({ from: [{ source: { principals: ["cluster.local/ns/shop/*"] } }] })).toBe(false);
    expect(ruleReach({ rule: { from: [{ source: { requestPrincipals: ["*"] } }] }, action: "ALLOW", context }).needsToken).toBe(true);
    const deny = (r: JsonObject): boolean => ruleReach({ rule: r, action: "DENY", context }).everyTokenless;
    expect(deny({ from: [{ source: { notRequestPrincipals: ["*"] } }] })).toBe(true);
    expect(deny({ from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { paths: ["/admin/*"] } }] })).toBe(false);
    expect(deny({ from: [{ source: { notRequestPrincipals: ["*"], namespaces: ["shop"] } }] })).toBe(false);
    expect(deny({ from: [{ source: { notRequestPrincipals: ["*"] } }], when: [{ key: "request.headers[x-token]", values: ["*"] }] })).toBe(false);
    expect(deny({ from: [{ source: { notRequestPrincipals: ["*"] } }], to: [{ operation: { ports: ["8080"] } }] })).toBe(true);
  });
});

describe("coverage of patterns and address blocks", () => {
  const alphabet = "ab";
  const strings = (max: number): string[] => {
    const out: string[] = [];
    const grow = (s: string): void => {
      if (s.length > 0) out.push(s);
      if (s.length < max) for (const c of alphabet) grow(s + c);
    };
    grow("");
    return out;
  };
  const piece = fc.stringMatching(/^[ab]{1,3}$/);

  it("covers every string exactly when brute force says so (prefix families, suffix families)", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, piece.map((s) => `${s}*`)), { maxLength: 8 }), fc.boolean(), (list, reverse) => {
        const patterns = reverse ? list.map((p) => (p.endsWith("*") ? `*${p.slice(0, -1)}` : p)) : list;
        const brute = strings(5).every((s) => patterns.some((p) => patternRegex(p).test(s)));
        expect(coversEvery(patterns, { prefix: "", alphabet })).toBe(brute);
      }),
      { numRuns: 2000 },
    );
  });

  it("covers the IPv4 space exactly when every /4 block is inside one of the blocks", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 4 })), { maxLength: 12 }), (blocks) => {
        const cidrs = blocks.map(([n, len]) => `${(n << 4) & (len === 0 ? 0 : (0xff << (8 - len)) & 0xff)}.0.0.0/${len}`);
        const brute = Array.from({ length: 16 }, (_, i) => `${i << 4}.0.0.1`).every((a) => cidrs.some((c) => inCidr(a, c)));
        expect(coverage(cidrs).v4).toBe(brute);
      }),
      { numRuns: 2000 },
    );
  });
});
