import type { JsonValue } from "../types.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import { blockEdges } from "./ip-blocks.js";
import { operationOf, sourceOf } from "./rule-matches.js";
import type { WorkloadPort } from "./workload-ports.js";

/** A value no rule names: the "anyone else" of each attribute. */
export const UNNAMED = "meshgate-other";
const OTHER = UNNAMED;
const OTHER_IP = "198.51.100.77";
const OTHER_PORT = 8080;
const MAX_PER_ATTRIBUTE = 10;
const MAX_REQUESTS = 6000;

/** Strings that a pattern matches (a few), so a request can fall inside it; `fill` stands for "anything". */
function examplesOf(pattern: string, fill: readonly string[]): string[] {
  const expanded = pattern.replaceAll("{**}", "x/y").replaceAll("{*}", "x");
  if (pattern === "*") return [...fill];
  if (expanded.length > 1 && expanded.endsWith("*")) {
    const head = expanded.slice(0, -1);
    return [head, ...fill.map((f) => `${head}${f}`)].filter((v) => v !== "");
  }
  if (expanded.length > 1 && expanded.startsWith("*")) {
    const tail = expanded.slice(1);
    return [tail, ...fill.map((f) => `${f}${tail}`)];
  }
  return [expanded];
}

function strings(value: JsonValue | undefined, name: string): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const list = value[name];
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : [];
}

function items(value: JsonValue | undefined, name: string): JsonValue[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const list = value[name];
  return Array.isArray(list) ? list : [];
}

/** Candidate values of one request attribute: `undefined` is "absent" (plaintext, no token, no header). */
class Attribute {
  readonly values: (string | undefined)[];
  constructor(first: readonly (string | undefined)[]) {
    this.values = [...first];
  }
  add(values: readonly string[]): void {
    for (const v of values) if (!this.values.includes(v)) this.values.push(v);
  }
  /** Mentioned by some rule: worth varying. */
  get varied(): boolean {
    return this.values.length > 1;
  }
}

/**
 * Requests that probe every boundary the given rules draw: for each attribute a rule reads, a
 * value no rule names (or none at all), and values inside and at the edge of each pattern; the
 * attributes no rule reads keep one value. Their product (bounded, the simplest requests first)
 * is what two versions of a policy are compared on: a request that one admits and the other
 * does not is a witness of the change. The patterns are finite unions of exact, prefix and suffix
 * strings and CIDRs, so such witnesses lie at the values they name, never between them.
 */
export function probeRequests(params: { rules: readonly JsonValue[]; ports: readonly WorkloadPort[]; trustDomain: string }): { requests: AuthorizationRequest[]; read: Set<string> } {
  const { rules, trustDomain } = params;
  const principalOf = (namespace: string, account: string, domain = trustDomain): string => `${domain}/ns/${namespace}/sa/${account}`;
  const peer = new Attribute([principalOf(OTHER, OTHER)]);
  const token = new Attribute([undefined]);
  const sourceIp = new Attribute([OTHER_IP]);
  const remoteIp = new Attribute([OTHER_IP]);
  const destinationIp = new Attribute(["10.0.0.1"]);
  const hosts = new Attribute([`${OTHER}.example`]);
  const methods = new Attribute(["GET"]);
  const paths = new Attribute([`/${OTHER}`]);
  const sni = new Attribute([undefined]);
  const headers = new Map<string, Attribute>();
  const claims = new Map<string, Attribute>();
  const mentionedPorts = new Set<number>();

  const addPrincipals = (patterns: readonly string[]): void => {
    for (const p of patterns) peer.add(examplesOf(p, [`ns/${OTHER}/sa/${OTHER}`, principalOf(OTHER, OTHER)]).map((v) => (v.includes("/ns/") ? v : principalOf(OTHER, OTHER, v.replace(/\/$/, "") || trustDomain))));
  };
  const addNamespaces = (patterns: readonly string[]): void => {
    for (const p of patterns) peer.add(examplesOf(p, ["x"]).map((ns) => principalOf(ns, "default")));
  };
  const addAccounts = (patterns: readonly string[]): void => {
    for (const p of patterns) {
      peer.add(examplesOf(p, ["x", "x/x"]).map((sa) => (sa.includes("/") ? principalOf(sa.split("/")[0] ?? OTHER, sa.split("/").slice(1).join("/") || OTHER) : principalOf(OTHER, sa))));
    }
  };
  const addTokens = (patterns: readonly string[]): void => {
    for (const p of patterns) token.add(examplesOf(p, ["x"]));
    token.add([`${OTHER}/${OTHER}`]);
  };
  const addBlocks = (attribute: Attribute, blocks: readonly string[]): void => {
    for (const b of blocks) attribute.add(blockEdges(b));
  };
  const attributeOf = (map: Map<string, Attribute>, key: string): Attribute => {
    let attribute = map.get(key);
    if (!attribute) {
      attribute = new Attribute([undefined, OTHER]);
      map.set(key, attribute);
    }
    return attribute;
  };

  // Every mTLS peer: plaintext too, once any rule looks at the peer.
  const peerRead = (): void => {
    if (!peer.values.includes(undefined)) peer.values.push(undefined);
  };
  for (const rule of rules) {
    for (const from of items(rule, "from")) {
      const source = sourceOf(from);
      const read = (name: string): string[] => [...strings(source, name), ...strings(source, `not${name.charAt(0).toUpperCase()}${name.slice(1)}`)];
      for (const name of ["principals", "namespaces", "serviceAccounts", "trustDomains"]) if (read(name).length > 0) peerRead();
      addPrincipals(read("principals"));
      addNamespaces(read("namespaces"));
      addAccounts(read("serviceAccounts"));
      for (const domain of read("trustDomains")) peer.add(examplesOf(domain, ["x"]).map((d) => principalOf(OTHER, OTHER, d)));
      if (read("requestPrincipals").length > 0) addTokens(read("requestPrincipals"));
      addBlocks(sourceIp, read("ipBlocks"));
      addBlocks(remoteIp, read("remoteIpBlocks"));
    }
    for (const to of items(rule, "to")) {
      const operation = operationOf(to);
      const read = (name: string): string[] => [...strings(operation, name), ...strings(operation, `not${name.charAt(0).toUpperCase()}${name.slice(1)}`)];
      for (const h of read("hosts")) hosts.add(examplesOf(h.toLowerCase(), ["x"]));
      methods.add(read("methods").flatMap((m) => examplesOf(m, ["POST"])));
      if (read("methods").length > 0) methods.add(["POST", "DELETE", "PATCH"]);
      for (const p of read("paths")) paths.add(examplesOf(p, ["x", "/x"]));
      for (const p of read("ports")) if (/^\d+$/.test(p)) mentionedPorts.add(Number(p));
    }
    for (const when of items(rule, "when")) {
      const key = when !== null && typeof when === "object" && !Array.isArray(when) && typeof when.key === "string" ? when.key : "";
      const patterns = [...strings(when, "values"), ...strings(when, "notValues")];
      const header = /^request\.headers\[(.+)\]$/.exec(key);
      const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
      if (header) attributeOf(headers, (header[1] ?? "").toLowerCase()).add(patterns.flatMap((p) => examplesOf(p, ["x"])));
      else if (claim) {
        attributeOf(claims, claim[1] ?? "").add(patterns.flatMap((p) => examplesOf(p, ["x"])));
        addTokens([]);
      } else if (key.startsWith("request.auth.")) addTokens(key === "request.auth.principal" ? patterns : []);
      else if (key === "source.ip") addBlocks(sourceIp, patterns);
      else if (key === "remote.ip") addBlocks(remoteIp, patterns);
      else if (key === "destination.ip") addBlocks(destinationIp, patterns);
      else if (key === "destination.port") {
        for (const p of patterns) if (/^\d+$/.test(p)) mentionedPorts.add(Number(p));
      } else if (key === "source.principal") {
        peerRead();
        addPrincipals(patterns);
      } else if (key === "source.namespace") {
        peerRead();
        addNamespaces(patterns);
      } else if (key === "connection.sni") sni.add(patterns.flatMap((p) => examplesOf(p, ["x"])));
    }
  }
  if (token.varied) {
    // A token whose claims no rule names, and each named claim value, ride on one principal.
    token.values.splice(MAX_PER_ATTRIBUTE);
  }

  // The workload's own ports; unknown ones are sniffed, so they may speak HTTP.
  const ports: WorkloadPort[] = params.ports.length > 0 ? [...params.ports] : [...new Set([OTHER_PORT, ...mentionedPorts])].map((port) => ({ port, protocol: "http" as const }));

  type Axis = { name: string; values: (string | undefined)[] };
  const axes: Axis[] = [
    { name: "peer", values: peer.values },
    { name: "token", values: token.values },
    { name: "sourceIp", values: sourceIp.values },
    { name: "remoteIp", values: remoteIp.values },
    { name: "destinationIp", values: destinationIp.values },
    { name: "host", values: hosts.values },
    { name: "method", values: methods.values },
    { name: "path", values: paths.values },
    { name: "sni", values: sni.values },
    ...[...headers].map(([key, a]) => ({ name: `header:${key}`, values: a.values })),
    ...[...claims].map(([key, a]) => ({ name: `claim:${key}`, values: a.values })),
  ].map((axis) => ({ ...axis, values: axis.values.slice(0, MAX_PER_ATTRIBUTE) }));
  // Keep the product bounded: trim the widest axis (its simplest values stay) until it fits.
  const size = (): number => axes.reduce((n, a) => n * a.values.length, ports.length);
  while (size() > MAX_REQUESTS) {
    const widest = axes.reduce((w, a) => (a.values.length > w.values.length ? a : w));
    if (widest.values.length <= 2) break;
    widest.values.pop();
  }

  const requests: AuthorizationRequest[] = [];
  const build = (port: WorkloadPort, choice: Map<string, string | undefined>): AuthorizationRequest => {
    const get = (name: string): string | undefined => choice.get(name);
    const principal = get("peer");
    const requestPrincipal = get("token");
    const http = port.protocol === "http";
    const claimValues: Record<string, string[]> = {};
    const headerValues: Record<string, string> = {};
    for (const [name, value] of choice) {
      if (value === undefined) continue;
      if (name.startsWith("claim:")) claimValues[name.slice("claim:".length)] = [value];
      if (name.startsWith("header:") && http) headerValues[name.slice("header:".length)] = value;
    }
    const host = get("host");
    const method = get("method");
    const path = get("path");
    const sniValue = get("sni");
    return {
      protocol: port.protocol,
      port: port.port,
      ...(principal !== undefined ? { principal } : {}),
      ...(requestPrincipal !== undefined && http ? { requestPrincipal } : {}),
      claims: claimValues,
      sourceIp: get("sourceIp") ?? OTHER_IP,
      remoteIp: get("remoteIp") ?? OTHER_IP,
      destinationIp: get("destinationIp") ?? "10.0.0.1",
      ...(http && host !== undefined ? { host } : {}),
      ...(http && method !== undefined ? { method } : {}),
      ...(http && path !== undefined ? { path } : {}),
      headers: headerValues,
      ...(sniValue !== undefined ? { sni: sniValue } : {}),
    };
  };
  const walk = (i: number, port: WorkloadPort, choice: Map<string, string | undefined>): void => {
    const axis = axes[i];
    if (!axis) {
      requests.push(build(port, choice));
      return;
    }
    for (const value of axis.values) {
      choice.set(axis.name, value);
      walk(i + 1, port, choice);
    }
    choice.delete(axis.name);
  };
  for (const port of ports) walk(0, port, new Map());
  const read = new Set(axes.filter((a) => a.values.length > 1).map((a) => a.name));
  if (ports.length > 1 || mentionedPorts.size > 0) read.add("port");
  return { requests, read };
}
