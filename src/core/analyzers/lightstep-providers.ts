import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** Telemetry tracing to a Lightstep provider of the mesh config (Istio's `telemetry.LightstepAnalyzer`): Istio deprecated it for OpenTelemetry. */
export const lightstepProviders: Analyzer = {
  name: "telemetry.LightstepAnalyzer",
  codes: ["IST0002"],
  analyze(context) {
    const lightstep = new Set(context.mesh.extensionProviders.filter((p) => p.type === "lightstep").map((p) => p.name));
    if (lightstep.size === 0) return [];
    const messages: AnalyzerMessage[] = [];
    for (const resource of context.ofKind("Telemetry")) {
      asArray(at(resource.object.spec, "tracing")).forEach((tracing, i) => {
        asArray(at(tracing, "providers")).forEach((provider, j) => {
          const name = at(provider, "name");
          if (typeof name === "string" && lightstep.has(name)) {
            messages.push({ code: "IST0002", resource, key: `tracing/${i}/providers/${j}`, pointer: `/spec/tracing/${i}/providers/${j}/name`, args: { detail: `The Lightstep provider ${name} is deprecated, please use OpenTelemetry instead` } });
          }
        });
      });
    }
    return messages;
  },
};
