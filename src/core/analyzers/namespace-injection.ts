import { type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** Namespaces Istio never injects, whatever their labels. */
const SYSTEM_NAMESPACES = new Set(["istio-system", "kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

/**
 * A namespace labelled for more than one data-plane mode at once (`istio-injection`,
 * `istio.io/rev`, ambient's `istio.io/dataplane-mode`): which one wins is undefined.
 * `istio-injection=disabled` takes the namespace out, whatever else it says.
 */
export const namespaceInjection: Analyzer = {
  name: "injection.Analyzer",
  codes: ["IST0123"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const [name, namespace] of context.namespaces) {
      if (SYSTEM_NAMESPACES.has(name)) continue;
      const labels = namespace.object.metadata.labels ?? {};
      const injection = labels["istio-injection"];
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
