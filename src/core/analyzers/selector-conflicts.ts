import type { Resource } from "../types.js";
import { at, labelsText, selects, stringMap, type AnalysisContext, type AnalyzedWorkload, type AnalyzerMessage } from "./analyzer.js";

/**
 * What Istio's Sidecar and Telemetry selector analyzers share: a selector must match a workload
 * of the resource's namespace (IST0101), two selectors must not match the same workload, and a
 * namespace has at most one selector-less resource of the kind.
 */
export function selectorConflicts(params: {
  context: AnalysisContext;
  kind: string;
  selectorPath: string[];
  conflictCode: string;
  noSelectorCode?: string;
  pluralArg: string;
}): AnalyzerMessage[] {
  const { context, kind, selectorPath, conflictCode, noSelectorCode, pluralArg } = params;
  const messages: AnalyzerMessage[] = [];
  const resources = context.ofKind(kind).filter((r) => at(r.object.spec, "targetRefs") === undefined && at(r.object.spec, "targetRef") === undefined);
  const bySelected = new Map<AnalyzedWorkload, Resource[]>();
  const selectorless = new Map<string, Resource[]>();
  for (const resource of resources) {
    const namespace = context.namespaceOf(resource);
    const selector = stringMap(at(resource.object, ...selectorPath));
    if (Object.keys(selector).length === 0) {
      selectorless.set(namespace, [...(selectorless.get(namespace) ?? []), resource]);
      continue;
    }
    const selected = context.workloads.filter((w) => w.namespace === namespace && selects(selector, w.labels));
    if (selected.length === 0) {
      messages.push({ code: "IST0101", resource, key: "selector", pointer: `/${selectorPath.join("/")}`, args: { reftype: "selector", refval: labelsText(selector) } });
    }
    for (const workload of selected) bySelected.set(workload, [...(bySelected.get(workload) ?? []), resource]);
  }
  for (const [workload, list] of bySelected) {
    if (list.length < 2) continue;
    const names = list.map((r) => r.object.metadata.name).sort();
    for (const resource of list) {
      messages.push({ code: conflictCode, resource, key: `pod:${workload.kind}/${workload.name}`, args: { [pluralArg]: `[${names.join(" ")}]`, namespace: workload.namespace, workloadPod: workload.name } });
    }
  }
  if (noSelectorCode) {
    for (const [namespace, list] of selectorless) {
      if (list.length < 2) continue;
      const names = list.map((r) => r.object.metadata.name).sort();
      for (const resource of list) messages.push({ code: noSelectorCode, resource, key: "no-selector", args: { [pluralArg]: `[${names.join(" ")}]`, namespace } });
    }
  }
  return messages;
}
