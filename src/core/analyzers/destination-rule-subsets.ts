import { asArray, at, selects, stringMap, type AnalyzedWorkload, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { candidatesOf, registryHosts } from "./service-registry.js";

/** Labels a pod gets from its node, not its template: the repository cannot tell them, except that an empty value matches none. */
const TOPOLOGY_PREFIXES = ["topology.kubernetes.io/", "topology.istio.io/"];

/**
 * A DestinationRule's host must be a service of the mesh (IST0174), and each subset of a
 * Kubernetes Service must select some of the Service's pods (IST0173: routing to it answers
 * 503 no healthy upstream). Pods are the repository's workloads of the Service's namespace;
 * where none of them carries a key the subset selects on, the subset's pods come from outside
 * what the repository renders (a KubeVela rollout labels its revisions), and it is not judged.
 */
export const destinationRuleSubsets: Analyzer = {
  name: "destinationrule.PodNotSelectedAnalyzer",
  codes: ["IST0173", "IST0174"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const hosts = registryHosts(context);
    const workloadsIn = new Map<string, AnalyzedWorkload[]>();
    for (const workload of context.workloads) {
      const list = workloadsIn.get(workload.namespace);
      if (list) list.push(workload);
      else workloadsIn.set(workload.namespace, [workload]);
    }
    for (const rule of context.ofKind("DestinationRule")) {
      const host = at(rule.object.spec, "host");
      if (typeof host !== "string" || host === "" || host.includes("*")) continue;
      const fqdn = context.fqdn(host, context.namespaceOf(rule));
      const known = candidatesOf(hosts, fqdn);
      if (known.length === 0) {
        messages.push({ code: "IST0174", resource: rule, key: "host", pointer: "/spec/host", args: { host } });
        continue;
      }
      const service = known.find((h) => h.resource.object.kind === "Service")?.resource;
      if (!service) continue;
      const serviceSelector = stringMap(at(service.object.spec, "selector"));
      if (Object.keys(serviceSelector).length === 0) continue;
      const pods = (workloadsIn.get(context.namespaceOf(service)) ?? []).filter((w) => w.namespace === context.namespaceOf(service) && selects(serviceSelector, w.labels));
      asArray(at(rule.object.spec, "subsets")).forEach((subset, i) => {
        const labels = stringMap(at(subset, "labels"));
        const topology = Object.entries(labels).filter(([key]) => TOPOLOGY_PREFIXES.some((p) => key.startsWith(p)));
        const podLabels = Object.fromEntries(Object.entries(labels).filter(([key]) => !TOPOLOGY_PREFIXES.some((p) => key.startsWith(p))));
        const emptyTopology = topology.some(([, value]) => value === "");
        if (!emptyTopology) {
          if (pods.some((p) => selects(podLabels, p.labels))) return;
          if (topology.length > 0 && pods.length === 0) return;
          // A label key that none of the Service's pods here carries is set where the repository
          // does not say (a rollout's revision, pods deployed from elsewhere): not judged.
          if (pods.length > 0 && Object.keys(podLabels).some((key) => pods.every((p) => p.labels[key] === undefined))) return;
        }
        const name = at(subset, "name");
        messages.push({ code: "IST0173", resource: rule, key: `subset:${i}`, pointer: `/spec/subsets/${i}`, args: { subset: typeof name === "string" ? name : "" } });
      });
    }
    return messages;
  },
};
