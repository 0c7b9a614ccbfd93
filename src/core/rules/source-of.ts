import type { Resource } from "../types.js";

/**
 * Where a field of a resource came from: the contributing trait whose written paths cover the
 * JSON pointer (the longest match), else the resource's own source. So a finding on a route's
 * retries is annotated at http-resilience, not at traffic-split.
 */
export function sourceOf(resource: Resource, pointer?: string): { file: string; line: number } {
  if (pointer !== undefined && resource.sources) {
    let best: { file: string; line: number; length: number } | undefined;
    for (const contribution of resource.sources) {
      for (const path of contribution.paths) {
        const covers = pointer === path || pointer.startsWith(`${path}/`) || path.startsWith(`${pointer}/`);
        if (covers && (!best || path.length > best.length)) best = { file: contribution.file, line: contribution.line, length: path.length };
      }
    }
    if (best) return { file: best.file, line: best.line };
  }
  return { file: resource.source.file, line: resource.source.line };
}
