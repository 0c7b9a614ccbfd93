import type { DefinitionRef, Resource } from "../types.js";

/**
 * Where a field of a resource came from: the contributing trait whose written paths cover the
 * JSON pointer (the longest match), else the resource's own source. So a finding on a route's
 * retries is annotated at http-resilience, not at traffic-split.
 */
export function sourceOf(resource: Resource, pointer?: string): { file: string; line: number; definition?: DefinitionRef } {
  if (pointer !== undefined && resource.sources) {
    let best: { file: string; line: number; length: number; definition?: DefinitionRef } | undefined;
    for (const contribution of resource.sources) {
      for (const path of contribution.paths) {
        const covers = pointer === path || pointer.startsWith(`${path}/`) || path.startsWith(`${pointer}/`);
        if (covers && (!best || path.length > best.length)) best = { file: contribution.file, line: contribution.line, length: path.length, ...(contribution.definition ? { definition: contribution.definition } : {}) };
      }
    }
    if (best) return { file: best.file, line: best.line, ...(best.definition ? { definition: best.definition } : {}) };
  }
  const { definition } = resource.source;
  // Where a repository definition rendered it, the finding is its as well as the Application's.
  return { file: resource.source.file, line: resource.source.line, ...(definition ? { definition } : {}) };
}
