import type { JsonValue } from "../types.js";
import { coverage } from "./ip-blocks.js";
import { HTTP_ONLY_FIELDS, isHttpOnlyKey, operationOf, sourceOf, usesHttpOnly, type AuthorizationAction } from "./rule-matches.js";
import { coversAll, coversEvery, matchesPattern, type StringDomain } from "./string-pattern.js";

/** What a rule's reach is judged against. */
export interface ReachContext {
  /** The mesh's trust domain: in-mesh callers' principals are `<trustDomain>/ns/…/sa/…`. */
  trustDomain: string;
  /** The ports of the workloads in question; empty when unknown (a `ports` field then never counts as every port). */
  ports: readonly number[];
  protocol: "http" | "tcp";
}

/**
 * How much of the request space a rule matches. "Callers" are the mesh's workloads and the
 * clients behind the gateways: any mTLS identity of the trust domain, any address, no token,
 * any header they care to send. "Tokenless" requests are every request without a JWT, from
 * any client, mTLS or plaintext, with no particular header.
 */
export interface RuleReach {
  /** Some source of `from` (or none at all) admits every caller. */
  everyCaller: boolean;
  /** Some operation of `to` (or none at all) covers every host, method, path and port. */
  everyOperation: boolean;
  /** Some operation of `to` (or none at all) covers every path. */
  everyPath: boolean;
  /** Every `when` condition holds for any caller who wants it to. */
  everyCondition: boolean;
  /** All three: the rule matches whatever any caller sends. */
  everyRequest: boolean;
  /** Only requests with a validated JWT can match (a `requestPrincipals` in every source, or a `request.auth.*` condition). */
  needsToken: boolean;
  /** The rule matches every request without a token, to every port of the context. */
  everyTokenless: boolean;
}

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;

const LABEL = "abcdefghijklmnopqrstuvwxyz0123456789-";
const PRINTABLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join("");
const NAMESPACE: StringDomain = { prefix: "", alphabet: LABEL, first: LABEL.slice(0, -1) };
const ACCOUNT: StringDomain = { prefix: "", alphabet: `${LABEL}./`, first: LABEL.slice(0, -1) };
const PATH: StringDomain = { prefix: "/", alphabet: PRINTABLE };
const HOST: StringDomain = { prefix: "", alphabet: `${LABEL}.:` };
const VALUE: StringDomain = { prefix: "", alphabet: PRINTABLE };

type Audience = "callers" | "tokenless";

function strings(value: JsonValue | undefined, name: string): string[] | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const list = value[name];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter((v): v is string => typeof v === "string");
}

function items(value: JsonValue | undefined, name: string): JsonValue[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const list = value[name];
  return Array.isArray(list) ? list : [];
}

/** Istio rewrites `cluster.local/` principals to the mesh's trust domain (and its aliases). */
function principalPatterns(patterns: readonly string[], trustDomain: string): string[] {
  return patterns.map((p) => (p.startsWith("cluster.local/") ? `${trustDomain}${p.slice("cluster.local".length)}` : p));
}

function blocksCover(patterns: readonly string[], audience: Audience): boolean {
  const { v4, v6 } = coverage(patterns);
  return audience === "callers" ? v4 || v6 : v4 && v6;
}

function portsCover(patterns: readonly string[], ports: readonly number[]): boolean {
  return ports.length > 0 && ports.every((port) => patterns.includes(String(port)));
}

function sourceCovers(source: JsonValue | undefined, audience: Audience, context: ReachContext, dropHttp: boolean): boolean {
  const { trustDomain } = context;
  const callers = audience === "callers";
  const check = (name: string, positive: (p: string[]) => boolean, negative: (p: string[]) => boolean): boolean => {
    if (dropHttp && HTTP_ONLY_FIELDS.has(name)) return true;
    const pos = strings(source, name);
    const neg = strings(source, `not${name.charAt(0).toUpperCase()}${name.slice(1)}`);
    return (!pos || positive(pos)) && (!neg || negative(neg));
  };
  return (
    check("principals", (p) => callers && coversEvery(principalPatterns(p, trustDomain), { prefix: `${trustDomain}/ns/`, alphabet: ACCOUNT.alphabet, first: LABEL.slice(0, -1) }), () => false) &&
    check("namespaces", (p) => callers && coversEvery(p, NAMESPACE), () => false) &&
    check("serviceAccounts", (p) => callers && coversEvery(p, ACCOUNT), () => false) &&
    check("trustDomains", (p) => callers && p.some((x) => matchesPattern(x, trustDomain)), (p) => callers && !p.some((x) => matchesPattern(x, trustDomain))) &&
    // Neither callers nor tokenless requests carry a token: a required principal excludes them, an excluded one never does.
    check("requestPrincipals", () => false, () => true) &&
    check("ipBlocks", (p) => blocksCover(p, audience), () => false) &&
    check("remoteIpBlocks", (p) => blocksCover(p, audience), () => false)
  );
}

function operationCovers(operation: JsonValue | undefined, context: ReachContext, dropHttp: boolean, only?: "paths"): boolean {
  const check = (name: string, positive: (p: string[]) => boolean, negative: (p: string[]) => boolean): boolean => {
    if ((dropHttp && HTTP_ONLY_FIELDS.has(name)) || (only && name !== only)) return true;
    const pos = strings(operation, name);
    const neg = strings(operation, `not${name.charAt(0).toUpperCase()}${name.slice(1)}`);
    return (!pos || positive(pos)) && (!neg || negative(neg));
  };
  return (
    check("hosts", (p) => coversEvery(p.map((h) => h.toLowerCase()), HOST), () => false) &&
    check("methods", (p) => coversAll(p, HTTP_METHODS), () => false) &&
    check("paths", (p) => coversEvery(p, PATH), () => false) &&
    check("ports", (p) => portsCover(p, context.ports), (p) => context.ports.length > 0 && !context.ports.some((port) => p.includes(String(port))))
  );
}

const PEER_KEYS: ReadonlySet<string> = new Set(["source.principal", "source.namespace"]);

function conditionCovers(condition: JsonValue | undefined, audience: Audience, context: ReachContext, dropHttp: boolean): boolean {
  const key = condition !== null && typeof condition === "object" && !Array.isArray(condition) && typeof condition.key === "string" ? condition.key : "";
  if (dropHttp && isHttpOnlyKey(key)) return true;
  const pos = strings(condition, "values");
  const neg = strings(condition, "notValues");
  const callers = audience === "callers";
  if (key.startsWith("request.auth.")) return !pos;
  if (key === "source.ip" || key === "remote.ip" || key === "destination.ip") return (!pos || blocksCover(pos, audience)) && !neg;
  if (key === "destination.port") return (!pos || portsCover(pos, context.ports)) && (!neg || (context.ports.length > 0 && !context.ports.some((port) => neg.includes(String(port)))));
  if (PEER_KEYS.has(key)) {
    const domain = key === "source.namespace" ? NAMESPACE : { prefix: `${context.trustDomain}/ns/`, alphabet: ACCOUNT.alphabet, first: LABEL.slice(0, -1) };
    const patterns = key === "source.principal" && pos ? principalPatterns(pos, context.trustDomain) : pos;
    return callers && (!patterns || coversEvery(patterns, domain)) && !neg;
  }
  if (isCallerWritten(key)) return callers;
  return false;
}

/** Attributes the caller writes itself: its headers and the TLS server name. */
function isCallerWritten(key: string): boolean {
  return /^request\.headers\[.+\]$/.test(key) || key === "connection.sni";
}

/**
 * Whether a caller can satisfy every condition on the attributes it writes, whatever else the
 * rule asks: for each such key it either leaves the attribute out or sends a value of its own
 * that only a cover of every value (`*`) matches; a specific value is not one it is assumed to know.
 */
function callerWrittenSatisfiable(when: readonly JsonValue[], dropHttp: boolean): boolean {
  const byKey = new Map<string, { pos?: string[]; neg?: string[] }[]>();
  for (const w of when) {
    const key = w !== null && typeof w === "object" && !Array.isArray(w) && typeof w.key === "string" ? w.key.toLowerCase() : "";
    if (!isCallerWritten(key) || (dropHttp && isHttpOnlyKey(key))) continue;
    const pos = strings(w, "values");
    const neg = strings(w, "notValues");
    byKey.set(key, [...(byKey.get(key) ?? []), { ...(pos ? { pos } : {}), ...(neg ? { neg } : {}) }]);
  }
  return [...byKey.values()].every((conditions) =>
    [false, true].some((sends) => conditions.every(({ pos, neg }) => (!pos || (sends && coversEvery(pos, VALUE))) && (!neg || !(sends && coversEvery(neg, VALUE))))),
  );
}

/** The reach of one AuthorizationPolicy rule (see RuleReach). */
export function ruleReach(params: { rule: JsonValue | undefined; action: AuthorizationAction; context: ReachContext }): RuleReach {
  const { rule, action, context } = params;
  const tcp = context.protocol === "tcp";
  if (tcp && action === "ALLOW" && usesHttpOnly(rule)) {
    return { everyCaller: false, everyOperation: false, everyPath: false, everyCondition: false, everyRequest: false, needsToken: false, everyTokenless: false };
  }
  const from = items(rule, "from");
  const to = items(rule, "to");
  const when = items(rule, "when");
  const sources = (audience: Audience): boolean => from.length === 0 || from.some((f) => sourceCovers(sourceOf(f), audience, context, tcp));
  const operations = to.length === 0 || to.some((t) => operationCovers(operationOf(t), context, tcp));
  const conditions = (audience: Audience): boolean => when.every((w) => conditionCovers(w, audience, context, tcp)) && (audience === "tokenless" || callerWrittenSatisfiable(when, tcp));
  const everyCaller = sources("callers");
  const everyCondition = conditions("callers");
  const needsToken =
    !tcp &&
    ((from.length > 0 && from.every((f) => strings(sourceOf(f), "requestPrincipals") !== undefined)) ||
      when.some((w) => w !== null && typeof w === "object" && !Array.isArray(w) && typeof w.key === "string" && w.key.startsWith("request.auth.") && strings(w, "values") !== undefined));
  return {
    everyCaller,
    everyOperation: operations,
    everyPath: to.length === 0 || to.some((t) => operationCovers(operationOf(t), context, tcp, "paths")),
    everyCondition,
    everyRequest: everyCaller && operations && everyCondition,
    needsToken,
    everyTokenless: sources("tokenless") && operations && conditions("tokenless"),
  };
}
