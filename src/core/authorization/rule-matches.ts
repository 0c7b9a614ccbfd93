import type { JsonValue } from "../types.js";
import { peerOf, type AuthorizationRequest } from "./authorization-request.js";
import { inBlocks } from "./ip-blocks.js";
import { matchesPattern } from "./string-pattern.js";

export type AuthorizationAction = "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";

/** Fields that only HTTP carries: on a TCP port an ALLOW rule using them never matches, a DENY rule drops them. */
export const HTTP_ONLY_FIELDS: ReadonlySet<string> = new Set(["requestPrincipals", "notRequestPrincipals", "hosts", "notHosts", "methods", "notMethods", "paths", "notPaths"]);

/** Whether a `when` key reads the HTTP request (`request.headers[…]`, `request.auth.*`). */
export function isHttpOnlyKey(key: string): boolean {
  return key.startsWith("request.");
}

function field(value: JsonValue | undefined, name: string): string[] | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const list = value[name];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter((v): v is string => typeof v === "string");
}

function list(value: JsonValue | undefined, name: string): JsonValue[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const items = value[name];
  return Array.isArray(items) ? items : [];
}

/** The values of a request attribute that a source or operation field reads; undefined when the request has none. */
function attribute(request: AuthorizationRequest, name: string): string[] | undefined {
  const peer = peerOf(request.principal);
  switch (name) {
    case "principals":
      return request.principal !== undefined ? [request.principal] : undefined;
    case "namespaces":
      return peer ? [peer.namespace] : undefined;
    case "serviceAccounts":
      return peer ? [peer.serviceAccount] : undefined;
    case "trustDomains":
      return peer ? [peer.trustDomain] : undefined;
    case "requestPrincipals":
      return request.requestPrincipal !== undefined ? [request.requestPrincipal] : undefined;
    case "hosts":
      return request.host !== undefined ? [request.host.toLowerCase()] : undefined;
    case "methods":
      return request.method !== undefined ? [request.method] : undefined;
    case "paths":
      return request.path !== undefined ? [request.path] : undefined;
    case "ports":
      return [String(request.port)];
    default:
      return undefined;
  }
}

function valueMatches(name: string, patterns: readonly string[], request: AuthorizationRequest): boolean {
  if (name === "ipBlocks") return inBlocks(request.sourceIp, patterns);
  if (name === "remoteIpBlocks") return inBlocks(request.remoteIp, patterns);
  const values = attribute(request, name);
  if (!values) return false;
  const fold = name === "hosts" ? (s: string) => s.toLowerCase() : (s: string) => s;
  return values.some((v) => patterns.some((p) => matchesPattern(fold(p), v, { template: name === "paths" })));
}

/** One field of a source or operation: present values must match, `not…` values must not. */
function clauseMatches(clause: JsonValue | undefined, names: readonly string[], request: AuthorizationRequest, dropHttp: boolean): boolean {
  return names.every((name) => {
    if (dropHttp && HTTP_ONLY_FIELDS.has(name)) return true;
    const positive = field(clause, name);
    if (positive && !valueMatches(name, positive, request)) return false;
    const negative = field(clause, `not${name.charAt(0).toUpperCase()}${name.slice(1)}`);
    return !(negative && valueMatches(name, negative, request));
  });
}

export const SOURCE_FIELDS = ["principals", "requestPrincipals", "namespaces", "serviceAccounts", "trustDomains", "ipBlocks", "remoteIpBlocks"] as const;
export const OPERATION_FIELDS = ["hosts", "ports", "methods", "paths"] as const;

/** The values a `when` key reads from a request; undefined when the request has none. */
export function conditionValues(key: string, request: AuthorizationRequest): string[] | undefined {
  const peer = peerOf(request.principal);
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) {
    const value = request.headers[(header[1] ?? "").toLowerCase()];
    return value !== undefined ? [value] : undefined;
  }
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) return request.requestPrincipal !== undefined ? request.claims[claim[1] ?? ""] : undefined;
  switch (key) {
    case "source.ip":
      return [request.sourceIp];
    case "remote.ip":
      return [request.remoteIp];
    case "destination.ip":
      return [request.destinationIp];
    case "destination.port":
      return [String(request.port)];
    case "source.principal":
      return request.principal !== undefined ? [request.principal] : undefined;
    case "source.namespace":
      return peer ? [peer.namespace] : undefined;
    case "request.auth.principal":
      return request.requestPrincipal !== undefined ? [request.requestPrincipal] : undefined;
    case "request.auth.audiences":
      return request.requestPrincipal !== undefined ? request.claims.aud : undefined;
    case "request.auth.presenter":
      return request.requestPrincipal !== undefined ? request.claims.azp : undefined;
    case "connection.sni":
      return request.sni !== undefined ? [request.sni] : undefined;
    default:
      return undefined;
  }
}

const IP_KEYS: ReadonlySet<string> = new Set(["source.ip", "remote.ip", "destination.ip"]);

function conditionMatches(condition: JsonValue | undefined, request: AuthorizationRequest, dropHttp: boolean): boolean {
  const key = condition !== null && typeof condition === "object" && !Array.isArray(condition) && typeof condition.key === "string" ? condition.key : "";
  if (dropHttp && isHttpOnlyKey(key)) return true;
  const values = conditionValues(key, request);
  const hit = (patterns: readonly string[]): boolean =>
    values !== undefined && (IP_KEYS.has(key) ? values.some((v) => inBlocks(v, patterns)) : values.some((v) => patterns.some((p) => matchesPattern(p, v))));
  const positive = field(condition, "values");
  if (positive && !hit(positive)) return false;
  const negative = field(condition, "notValues");
  return !(negative && hit(negative));
}

/** Whether a rule uses a field or condition that only HTTP carries. */
export function usesHttpOnly(rule: JsonValue | undefined): boolean {
  return (
    list(rule, "from").some((f) => [...HTTP_ONLY_FIELDS].some((name) => field(sourceOf(f), name) !== undefined)) ||
    list(rule, "to").some((t) => [...HTTP_ONLY_FIELDS].some((name) => field(operationOf(t), name) !== undefined)) ||
    list(rule, "when").some((w) => w !== null && typeof w === "object" && !Array.isArray(w) && typeof w.key === "string" && isHttpOnlyKey(w.key))
  );
}

export function sourceOf(from: JsonValue | undefined): JsonValue | undefined {
  return from !== null && typeof from === "object" && !Array.isArray(from) ? from.source : undefined;
}

export function operationOf(to: JsonValue | undefined): JsonValue | undefined {
  return to !== null && typeof to === "object" && !Array.isArray(to) ? to.operation : undefined;
}

/**
 * Whether an AuthorizationPolicy rule matches a request, as Istio's proxies evaluate it: every
 * one of `from` (any source), `to` (any operation) and `when` (all conditions) must match; an
 * absent or empty part matches anything. On a TCP port an ALLOW rule that uses HTTP-only fields
 * matches nothing, and any other action's rule matches without them.
 */
export function ruleMatches(params: { rule: JsonValue | undefined; action: AuthorizationAction; request: AuthorizationRequest }): boolean {
  const { rule, action, request } = params;
  const tcp = request.protocol === "tcp";
  if (tcp && action === "ALLOW" && usesHttpOnly(rule)) return false;
  const dropHttp = tcp;
  const from = list(rule, "from");
  if (from.length > 0 && !from.some((f) => clauseMatches(sourceOf(f), SOURCE_FIELDS, request, dropHttp))) return false;
  const to = list(rule, "to");
  if (to.length > 0 && !to.some((t) => clauseMatches(operationOf(t), OPERATION_FIELDS, request, dropHttp))) return false;
  return list(rule, "when").every((w) => conditionMatches(w, request, dropHttp));
}
