import type { Analyzer } from "./analyzer.js";
import { selectorConflicts } from "./selector-conflicts.js";

/** Telemetry selectors: they must select a workload of their namespace, and not the same one as another Telemetry. */
export const telemetrySelectors: Analyzer = {
  name: "telemetry.SelectorAnalyzer",
  codes: ["IST0101", "IST0159"],
  analyze: (context) =>
    selectorConflicts({ context, kind: "Telemetry", selectorPath: ["spec", "selector", "matchLabels"], conflictCode: "IST0159", pluralArg: "conflictingTelemetries" }).filter((m) => m.code !== "IST0160"),
};

/** At most one selector-less Telemetry per namespace. */
export const telemetryDefaultSelectors: Analyzer = {
  name: "telemetry.DefaultSelectorAnalyzer",
  codes: ["IST0160"],
  analyze: (context) =>
    selectorConflicts({ context, kind: "Telemetry", selectorPath: ["spec", "selector", "matchLabels"], conflictCode: "IST0159", noSelectorCode: "IST0160", pluralArg: "conflictingTelemetries" }).filter((m) => m.code === "IST0160"),
};
