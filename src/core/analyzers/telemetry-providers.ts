import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * An access logging entry of a Telemetry that names no provider, while the mesh config names
 * no default access log provider: Istio ignores the entry (IST0157). An entry that disables
 * logging needs no provider.
 */
export const telemetryProviders: Analyzer = {
  name: "telemetry.ProviderAnalyzer",
  codes: ["IST0157"],
  analyze(context) {
    if (context.mesh.hasDefaultAccessLogging) return [];
    const messages: AnalyzerMessage[] = [];
    for (const telemetry of context.ofKind("Telemetry")) {
      asArray(at(telemetry.object.spec, "accessLogging")).forEach((entry, i) => {
        if (at(entry, "disabled") === true) return;
        if (asArray(at(entry, "providers")).length > 0) return;
        messages.push({
          code: "IST0157",
          resource: telemetry,
          key: `accessLogging:${i}`,
          pointer: `/spec/accessLogging/${i}`,
          args: { name: telemetry.object.metadata.name, namespace: context.namespaceOf(telemetry) },
        });
      });
    }
    return messages;
  },
};
