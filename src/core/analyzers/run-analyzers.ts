import { fillMessage } from "../rules/run-rules.js";
import type { Resource } from "../types.js";
import { buildAnalysisContext, type AnalyzerMesh, type AnalyzerMessage } from "./analyzer.js";
import { istioCode, type IstioLevel } from "./codes.js";
import { ANALYZERS } from "./index.js";

/** An analyzer's message, ready to print: its code's level and filled template. */
export interface AnalysisMessage extends AnalyzerMessage {
  level: IstioLevel;
  message: string;
  /** Whether `galley.istio.io/analyze-suppress` on the resource (or its namespace) names the code. */
  suppressed: boolean;
}

export const SUPPRESS_ANNOTATION = "galley.istio.io/analyze-suppress";

/**
 * Runs every analyzer over one revision's resources. Messages are returned whether or not the
 * suppression annotation names them: `meshgate analyze` drops the suppressed ones as istioctl
 * does, the gate does not (a change could add the annotation to hide what it breaks).
 */
export function runAnalyzers(resources: readonly Resource[], mesh: AnalyzerMesh): AnalysisMessage[] {
  const context = buildAnalysisContext(resources, mesh);
  const messages: AnalysisMessage[] = [];
  const seen = new Set<string>();
  for (const analyzer of ANALYZERS) {
    for (const found of analyzer.analyze(context)) {
      const entry = istioCode(found.code);
      if (!entry) continue;
      const { object } = found.resource;
      const dedupe = `${found.code}|${object.kind}|${object.metadata.namespace ?? ""}|${object.metadata.name}|${found.key}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      messages.push({ ...found, level: entry.level, message: fillMessage(entry.template, found.args), suppressed: isSuppressed(found.resource, found.code) });
    }
  }
  return messages;
}

function isSuppressed(resource: Resource, code: string): boolean {
  const value = resource.object.metadata.annotations?.[SUPPRESS_ANNOTATION];
  if (value === undefined) return false;
  return value.split(",").some((entry) => entry.trim() === "*" || entry.trim() === code);
}

/** The codes the analyzers report, sorted. */
export function implementedCodes(): string[] {
  return [...new Set(ANALYZERS.flatMap((a) => a.codes))].sort();
}
