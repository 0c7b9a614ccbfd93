import { parse } from "yaml";
import type { AnnotationValue } from "./istio-annotations.js";

/**
 * Why injection would refuse an annotation's value, in the words Istio's validation uses (Go's
 * strconv and netip errors included, since that is what `istioctl analyze` prints), or
 * undefined when the value is accepted.
 */
export function annotationValueProblem(kind: AnnotationValue, value: string): string | undefined {
  switch (kind) {
    case "uint32":
      return parseUint(value, 32);
    case "bool":
      return ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].includes(value) ? undefined : `strconv.ParseBool: parsing ${quote(value)}: invalid syntax`;
    case "interceptionMode":
      return ["REDIRECT", "TPROXY", "NONE"].includes(value) ? undefined : `interceptionMode invalid, use REDIRECT,TPROXY,NONE: ${value}`;
    case "statusPort": {
      const problem = portProblem(value);
      return problem === undefined ? undefined : `excludeInboundPorts invalid: ${problem}`;
    }
    case "includeInboundPorts":
      return value === "*" ? undefined : portListProblem("includeInboundPorts", value);
    case "excludeInboundPorts":
    case "excludeOutboundPorts":
      return portListProblem(kind, value);
    case "includeIPRanges":
      return value === "*" ? undefined : prefixed("includeIPRanges", cidrListProblem(value));
    case "excludeIPRanges":
      return prefixed("excludeIPRanges", cidrListProblem(value));
    case "proxyConfig":
      return proxyConfigProblem(value);
  }
}

/** Go's `strconv.ParseUint(value, 10, bits)`: decimal digits only, within range. */
function parseUint(value: string, bits: 16 | 32): string | undefined {
  if (!/^[0-9]+$/.test(value)) return `strconv.ParseUint: parsing ${quote(value)}: invalid syntax`;
  return BigInt(value) >= 2n ** BigInt(bits) ? `strconv.ParseUint: parsing ${quote(value)}: value out of range` : undefined;
}

function portProblem(port: string): string | undefined {
  const problem = parseUint(port.trim(), 16);
  return problem === undefined ? undefined : `failed parsing port '${port}': ${problem}`;
}

function portListProblem(parameter: string, ports: string): string | undefined {
  const trimmed = ports.trim();
  if (trimmed === "") return undefined;
  for (const port of trimmed.split(",")) {
    const problem = portProblem(port);
    if (problem !== undefined) return `${parameter} invalid: failed parsing port '${port}': ${problem}`;
  }
  return undefined;
}

function cidrListProblem(cidrs: string): string | undefined {
  if (cidrs === "") return undefined;
  for (const cidr of cidrs.split(",")) {
    const problem = prefixProblem(cidr);
    if (problem !== undefined) return `failed parsing cidr '${cidr}': netip.ParsePrefix(${quote(cidr)}): ${problem}`;
  }
  return undefined;
}

/** Go's `netip.ParsePrefix`: an IPv4 or IPv6 address (no zone), `/`, and bits within the family's size. */
function prefixProblem(cidr: string): string | undefined {
  const slash = cidr.lastIndexOf("/");
  if (slash < 0) return "no '/'";
  const [address, bits] = [cidr.slice(0, slash), cidr.slice(slash + 1)];
  const size = isIPv4(address) ? 32 : isIPv6(address) ? 128 : undefined;
  if (size === undefined) return `ParseAddr(${quote(address)}): unable to parse IP`;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bits) || Number(bits) > size) return `bad bits after slash: ${quote(bits)}`;
  return undefined;
}

function isIPv4(address: string): boolean {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/.test(address);
}

/** IPv6, as the WHATWG URL parser reads a bracketed host (the core has no `node:net`). */
function isIPv6(address: string): boolean {
  if (!address.includes(":") || address.includes("%") || /[^0-9a-fA-F:.]/.test(address)) return false;
  try {
    return new URL(`http://[${address}]/`).hostname.startsWith("[");
  } catch {
    return false;
  }
}

/** A ProxyConfig overlay must read as a YAML (or JSON) mapping. */
function proxyConfigProblem(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = parse(value);
  } catch (error) {
    return `failed to convert to apply proxy config: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
  }
  if (parsed === null || parsed === undefined) return undefined;
  return typeof parsed === "object" && !Array.isArray(parsed) ? undefined : "failed to convert to apply proxy config: not a ProxyConfig mapping";
}

function prefixed(parameter: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${parameter} invalid: ${problem}`;
}

/** Go's `%q` for the plain strings annotations hold. */
function quote(value: string): string {
  return JSON.stringify(value);
}
