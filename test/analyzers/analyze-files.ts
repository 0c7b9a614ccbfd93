import { defaultAnalyzerMesh, type AnalyzerMesh } from "../../src/core/analyzers/analyzer.js";
import { runAnalyzers, type AnalysisMessage } from "../../src/core/analyzers/run-analyzers.js";
import { defaultConfig } from "../../src/core/config/config.js";
import { renderFiles } from "../support/render.js";

/** The analyzers' messages on one YAML file, as `code kind namespace/name: message` lines, in report order. */
export function analyzeYaml(yaml: string, mesh: Partial<AnalyzerMesh> = {}, codes?: readonly string[]): string[] {
  return analyzeMessages(yaml, mesh)
    .filter((m) => codes === undefined || codes.includes(m.code))
    .map((m) => `${m.code} ${m.resource.object.kind} ${m.resource.object.metadata.namespace ?? ""}/${m.resource.object.metadata.name}: ${m.message}`);
}

export function analyzeMessages(yaml: string, mesh: Partial<AnalyzerMesh> = {}): AnalysisMessage[] {
  const config = defaultConfig();
  const result = renderFiles({ "mesh.yaml": yaml }, config);
  return runAnalyzers(result.resources, { ...defaultAnalyzerMesh(config.mesh), ...mesh });
}
