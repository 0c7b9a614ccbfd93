import { stringify } from "yaml";
import type { Diagnostic, RenderResult, Resource } from "../core/types.js";

/** Multi-document YAML, as `kubectl apply -f` takes it. Provenance is left out. */
export function renderYaml(resources: readonly Resource[]): string {
  return resources.map((r) => stringify(r.object, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

/** The object's own fields (apiVersion, kind, metadata, spec, …) beside its provenance. */
export type RenderedResourceJson = Record<string, unknown> & {
  source: Resource["source"];
  sources?: Resource["sources"];
};

/** The documented JSON shape of `meshgate render --format json`: objects with their provenance. */
export function renderJson(result: Pick<RenderResult, "resources" | "diagnostics">): { resources: RenderedResourceJson[]; diagnostics: Diagnostic[] } {
  return {
    resources: result.resources.map((r) => ({ ...r.object, source: r.source, ...(r.sources ? { sources: r.sources } : {}) })),
    diagnostics: result.diagnostics,
  };
}
