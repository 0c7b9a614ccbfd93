import { asArray, at, hostMatches, selects, stringMap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { registryHosts } from "./service-registry.js";

/** Labels a pod gets from its node, not its template: the repository cannot tell them, except that an empty value matches none. */
const TOPOLOGY_PREFIXES = ["topology.kubernetes.io/", "topology.istio.io/"];

/**
 * A DestinationRule's host must be a service of the mesh (IST0174), and each subset of a
 * Kubernetes Service must select some of the Service's pods (IST0173: routing to it answers
 * 503 no healthy upstream). Pods are the repository's workloads of the Service's namespace.
 */
export const destinationRuleSubsets: Analyzer = {
  name: "destinationrule.PodNotSelectedAnalyzer",
  codes: ["IST0173", "IST0174"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const hosts = registryHosts(context);
    for (const rule of context.ofKind("DestinationRule")) {
      const host = at(rule.object.spec, "host");
      if (typeof host !== "string" || host === "" || host.includes("*")) continue;
      const fqdn = context.fqdn(host, context.namespaceOf(rule));
      const known = hosts.filter((h) => h.host === fqdn || hostMatches(h.host, fqdn));
      if (known.length === 0) {
        messages.push({ code: "IST0174", resource: rule, key: "host", pointer: "/spec/host", args: { host } });
        continue;
      }
      const service = known.find((h) => h.resource.object.kind === "Service")?.resource;
      if (!service) continue;
      const serviceSelector = stringMap(at(service.object.spec, "selector"));
      if (Object.keys(serviceSelector).length === 0) continue;
      const pods = context.workloads.filter((w) => w.namespace === context.namespaceOf(service) && selects(serviceSelector, w.labels));
      asArray(at(rule.object.spec, "subsets")).forEach((subset, i) => {
        const labels = stringMap(at(subset, "labels"));
        const topology = Object.entries(labels).filter(([key]) => TOPOLOGY_PREFIXES.some((p) => key.startsWith(p)));
        const podLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => !TOPOLOGY_PREFIXES.some((p) => key.startsWith(p))));
        const emptyTopology = topology.some(([, value]) => value === "");
        if (!emptyTopology && pods.some((p) => selects(podLabels, p.labels))) return;
        if (!emptyTopology && topology.length > 0 && pods.length === 0) return;
        const name = at(subset, "name");
        messages.push({ code: "IST0173", resource: rule, key: `subset:${i}`, pointer: `/spec/subsets/${i}`, args: { subset: typeof name === "string" ? name : "" } });
      });
    }
    return messages;
  },
};
