import { asArray, at, hostMatches, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { exportScope, routeDestinations, seenFrom } from "./service-registry.js";

/** A route destination's subset must be defined by a DestinationRule for its host, visible to the VirtualService. */
export const virtualServiceDestinationRules: Analyzer = {
  name: "virtualservice.DestinationRuleAnalyzer",
  codes: ["IST0101"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const rules = context.ofKind("DestinationRule");
    for (const vs of context.ofKind("VirtualService")) {
      const namespace = context.namespaceOf(vs);
      for (const d of routeDestinations(vs)) {
        if (d.subset === undefined) continue;
        const fqdn = context.fqdn(d.host, namespace);
        const forHost = rules.filter((rule) => {
          const host = at(rule.object.spec, "host");
          if (typeof host !== "string") return false;
          const ruleHost = context.fqdn(host, context.namespaceOf(rule));
          return ruleHost === fqdn || hostMatches(ruleHost, fqdn);
        });
        // Subsets are defined by the host's DestinationRules: where the repository holds none, it does not say which exist.
        if (forHost.length === 0) continue;
        const defined = forHost.some((rule) => seenFrom(exportScope(rule), namespace) && asArray(at(rule.object.spec, "subsets")).some((s) => at(s, "name") === d.subset));
        if (!defined) messages.push({ code: "IST0101", resource: vs, key: `subset:${d.pointer}`, pointer: d.pointer, args: { reftype: "host+subset in destinationrule", refval: `${d.host}+${d.subset}` } });
      }
    }
    return messages;
  },
};
