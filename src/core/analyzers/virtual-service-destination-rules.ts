import { asArray, at, hostMatches, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import type { Resource } from "../types.js";
import { exportScope, routeDestinations, seenFrom } from "./service-registry.js";

/** A route destination's subset must be defined by a DestinationRule for its host, visible to the VirtualService. */
export const virtualServiceDestinationRules: Analyzer = {
  name: "virtualservice.DestinationRuleAnalyzer",
  codes: ["IST0101"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    // The rules by host, once: exact hosts in a map, wildcard ones (few) scanned.
    const exact = new Map<string, Resource[]>();
    const wildcards: { rule: Resource; ruleHost: string }[] = [];
    for (const rule of context.ofKind("DestinationRule")) {
      const host = at(rule.object.spec, "host");
      if (typeof host !== "string") continue;
      const ruleHost = context.fqdn(host, context.namespaceOf(rule));
      if (ruleHost.startsWith("*")) wildcards.push({ rule, ruleHost });
      else exact.set(ruleHost, [...(exact.get(ruleHost) ?? []), rule]);
    }
    for (const vs of context.ofKind("VirtualService")) {
      const namespace = context.namespaceOf(vs);
      for (const d of routeDestinations(vs)) {
        if (d.subset === undefined) continue;
        const fqdn = context.fqdn(d.host, namespace);
        const forHost = [...(exact.get(fqdn) ?? []), ...wildcards.filter(({ ruleHost }) => ruleHost === fqdn || hostMatches(ruleHost, fqdn)).map(({ rule }) => rule)];
        // Subsets are defined by the host's DestinationRules: where the repository holds none, it does not say which exist.
        if (forHost.length === 0) continue;
        const defined = forHost.some((rule) => seenFrom(exportScope(rule), namespace) && asArray(at(rule.object.spec, "subsets")).some((s) => at(s, "name") === d.subset));
        if (!defined) messages.push({ code: "IST0101", resource: vs, key: `subset:${d.pointer}`, pointer: d.pointer, args: { reftype: "host+subset in destinationrule", refval: `${d.host}+${d.subset}` } });
      }
    }
    return messages;
  },
};
