import type { JsonValue, Resource } from "../types.js";
import { asArray, asObject, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * Istio's VirtualService validation warnings: a rule after a match-less one, or whose every
 * match an earlier rule already has, is never used (IST0130); a match an earlier one repeats
 * (names aside), or an HTTP URI-prefix match an earlier prefix of the same or any method
 * covers, never selects traffic (IST0131).
 */
export const virtualServiceUnreachableRules: Analyzer = {
  name: "schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)",
  codes: ["IST0130", "IST0131"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const vs of context.ofKind("VirtualService")) {
      for (const protocol of ["http", "tcp", "tls"]) analyzeRules(vs, protocol, messages);
    }
    return messages;
  },
};

function analyzeRules(vs: Resource, protocol: string, messages: AnalyzerMessage[]): void {
  const routes = asArray(at(vs.object.spec, protocol));
  const encountered = new Map<string, number>();
  const prefixes: { prefix: string; method: string | undefined; rule: number }[] = [];
  let emptyMatch = -1;
  const ruleName = (i: number): string => {
    const name = at(routes[i], "name");
    return typeof name === "string" && name !== "" ? `"${name}"` : `#${i}`;
  };
  routes.forEach((route, i) => {
    const matches = asArray(at(route, "match"));
    const pointer = `/spec/${protocol}/${i}`;
    if (matches.length === 0) {
      if (emptyMatch >= 0) messages.push({ code: "IST0130", resource: vs, key: pointer, pointer, args: { ruleno: ruleName(i), reason: "only the last rule can have no matches" } });
      emptyMatch = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, j) => {
      const matchName = at(match, "name");
      const shown = typeof matchName === "string" && matchName !== "" ? `"${matchName}"` : `#${j}`;
      const key = canonical({ ...asObject(match), name: undefined });
      const earlier = encountered.get(key);
      if (earlier !== undefined) {
        duplicates++;
        messages.push({ code: "IST0131", resource: vs, key: `${pointer}/match/${j}`, pointer: `${pointer}/match/${j}`, args: { ruleno: ruleName(i), matchno: shown, dupno: ruleName(earlier) } });
        return;
      }
      encountered.set(key, i);
      if (protocol !== "http") return;
      const simple = prefixMatch(match);
      if (!simple) return;
      const cover = prefixes.find((p) => simple.prefix.startsWith(p.prefix) && (p.method === undefined || p.method === simple.method));
      if (cover) {
        messages.push({ code: "IST0131", resource: vs, key: `${pointer}/match/${j}`, pointer: `${pointer}/match/${j}`, args: { ruleno: ruleName(i), matchno: shown, dupno: ruleName(cover.rule) } });
      }
      prefixes.push({ ...simple, rule: i });
    });
    if (duplicates === matches.length) messages.push({ code: "IST0130", resource: vs, key: pointer, pointer, args: { ruleno: ruleName(i), reason: "all matches used by prior rules" } });
  });
}

/** An HTTP match on a URI prefix and at most an exact method, and nothing else. */
function prefixMatch(match: JsonValue): { prefix: string; method: string | undefined } | undefined {
  const fields = Object.keys(asObject(match)).filter((k) => k !== "name");
  if (!fields.includes("uri") || fields.some((k) => k !== "uri" && k !== "method")) return undefined;
  const uri = asObject(at(match, "uri"));
  const prefix = uri.prefix;
  if (typeof prefix !== "string" || Object.keys(uri).length !== 1) return undefined;
  const method = at(match, "method");
  if (method === undefined) return { prefix, method: undefined };
  const exact = at(method, "exact");
  if (typeof exact !== "string" || Object.keys(asObject(method)).length !== 1) return undefined;
  return { prefix, method: exact };
}

/** JSON with sorted keys and undefined dropped: equal matches compare equal. */
function canonical(value: JsonValue | undefined): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(",")}}`;
}
