import { stringify } from "yaml";
import type { Diagnostic, RenderResult, Resource } from "../core/types.js";

/**
 * Multi-document YAML, as `kubectl apply -f` takes it. Provenance is left out; a resource of one
 * environment or workflow step is headed by a comment naming them.
 */
export function renderYaml(resources: readonly Resource[]): string {
  return resources.map((r) => `${scopeComment(r)}${stringify(r.object, { lineWidth: 0, aliasDuplicateObjects: false })}`).join("---\n");
}

function scopeComment(r: Resource): string {
  const parts = [
    ...(r.environment !== undefined ? [`environment: ${r.environment}`] : []),
    ...(r.step ? [`workflow step: ${r.step.name}${r.step.gates.length > 0 ? ` (after manual gate ${r.step.gates.join(", ")})` : ""}`] : []),
  ];
  return parts.length > 0 ? `# ${parts.join(", ")}\n` : "";
}

/** The object's own fields (apiVersion, kind, metadata, spec, …) beside its provenance. */
export type RenderedResourceJson = Record<string, unknown> & {
  source: Resource["source"];
  sources?: Resource["sources"];
  environment?: string;
  step?: Resource["step"];
};

/** The documented JSON shape of `meshgate render --format json`: objects with their provenance. */
export function renderJson(result: Pick<RenderResult, "resources" | "diagnostics">): { resources: RenderedResourceJson[]; diagnostics: Diagnostic[] } {
  return {
    resources: result.resources.map((r) => ({
      ...r.object,
      source: r.source,
      ...(r.sources ? { sources: r.sources } : {}),
      ...(r.environment !== undefined ? { environment: r.environment } : {}),
      ...(r.step ? { step: r.step } : {}),
    })),
    diagnostics: result.diagnostics,
  };
}
