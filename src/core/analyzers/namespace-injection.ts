import type { JsonValue } from "../types.js";
import { at, type AnalysisContext, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** Namespaces Istio never injects, whatever their labels. */
const SYSTEM_NAMESPACES = new Set(["istio-system", "kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

/**
 * Whether the default sidecar injector's ConfigMap (`istio-sidecar-injector`, the one Istio
 * consults for a namespace without a revision label) sets
 * `sidecarInjectorWebhook.enableNamespacesByDefault` in its `values` JSON: then a namespace
 * without injection labels is injected too. Values that do not parse count as not set, as in Istio.
 */
function injectsNamespacesByDefault(context: AnalysisContext): boolean {
  const configMap = context.ofKind("ConfigMap").find((r) => r.object.metadata.name === "istio-sidecar-injector");
  const values = at(configMap?.object, "data", "values");
  if (typeof values !== "string") return false;
  try {
    const parsed = JSON.parse(values) as JsonValue;
    return at(parsed, "sidecarInjectorWebhook", "enableNamespacesByDefault") === true;
  } catch {
    return false;
  }
}

/**
 * A namespace without any injection label (IST0102): its pods run without a sidecar unless each
 * asks for one. Not reported for an ambient namespace, nor when the injector injects unlabelled
 * namespaces by default.
 *
 * A namespace labelled for more than one data-plane mode at once (`istio-injection`,
 * `istio.io/rev`, ambient's `istio.io/dataplane-mode`): which one wins is undefined.
 * `istio-injection=disabled` takes the namespace out, whatever else it says.
 */
export const namespaceInjection: Analyzer = {
  name: "injection.Analyzer",
  codes: ["IST0102", "IST0123"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const byDefault = injectsNamespacesByDefault(context);
    for (const [name, namespace] of context.namespaces) {
      if (SYSTEM_NAMESPACES.has(name)) continue;
      const labels = namespace.object.metadata.labels ?? {};
      const injection = labels["istio-injection"];
      if ((injection === undefined || injection === "") && labels["istio.io/rev"] === undefined && labels["istio.io/dataplane-mode"] !== "ambient") {
        if (!byDefault) messages.push({ code: "IST0102", resource: namespace, key: "labels", pointer: "/metadata/name", args: { namespace: name } });
        continue;
      }
      if (injection === "disabled") continue;
      const modes = [
        ...(injection !== undefined && injection !== "" ? [`istio-injection=${injection}`] : []),
        ...(labels["istio.io/rev"] !== undefined ? [`istio.io/rev=${labels["istio.io/rev"]}`] : []),
        ...(labels["istio.io/dataplane-mode"] === "ambient" ? ["istio.io/dataplane-mode=ambient"] : []),
      ];
      if (modes.length > 1) messages.push({ code: "IST0123", resource: namespace, key: "labels", pointer: "/metadata/labels", args: { labels: `[${modes.join(" ")}]` } });
    }
    return messages;
  },
};
