import { at, selects, stringMap, type AnalysisContext, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { selectorConflicts } from "./selector-conflicts.js";

/**
 * Sidecar workload selectors: they must select a workload of their namespace, not the same one
 * as another Sidecar, one selector-less Sidecar per namespace; and a Sidecar in an ambient
 * namespace (or selecting ambient pods) has no sidecar to configure (IST0167).
 */
export const sidecarSelectors: Analyzer = {
  name: "sidecar.SelectorAnalyzer",
  codes: ["IST0101", "IST0110", "IST0111", "IST0167"],
  analyze(context) {
    const messages = selectorConflicts({
      context,
      kind: "Sidecar",
      selectorPath: ["spec", "workloadSelector", "labels"],
      conflictCode: "IST0110",
      noSelectorCode: "IST0111",
      pluralArg: "conflictingSidecars",
    });
    for (const sidecar of context.ofKind("Sidecar")) {
      const namespace = context.namespaceOf(sidecar);
      const selector = stringMap(at(sidecar.object.spec, "workloadSelector", "labels"));
      if (Object.keys(selector).length === 0) {
        if (isAmbientNamespace(context, namespace)) {
          messages.push(ineffective(sidecar, `namespace ${namespace} is in ambient mode, which runs no sidecars`));
        }
        continue;
      }
      const selected = context.workloads.filter((w) => w.namespace === namespace && selects(selector, w.labels));
      if (selected.length > 0 && selected.every((w) => w.annotations["ambient.istio.io/redirection"] === "enabled" || (isAmbientNamespace(context, namespace) && !injected(w.labels)))) {
        messages.push(ineffective(sidecar, "the workloads it selects are in ambient mode, which runs no sidecars"));
      }
    }
    return messages;
  },
};

function ineffective(resource: AnalyzerMessage["resource"], reason: string): AnalyzerMessage {
  return { code: "IST0167", resource, key: "ambient", args: { reason } };
}

function injected(labels: Record<string, string>): boolean {
  return labels["istio-injection"] === "enabled" || labels["istio.io/rev"] !== undefined || labels["sidecar.istio.io/inject"] === "true";
}

/** A namespace in ambient mode, and not also labelled for sidecar injection. */
export function isAmbientNamespace(context: AnalysisContext, namespace: string): boolean {
  const labels = context.namespaces.get(namespace)?.object.metadata.labels ?? {};
  return labels["istio.io/dataplane-mode"] === "ambient" && !injected(labels);
}
