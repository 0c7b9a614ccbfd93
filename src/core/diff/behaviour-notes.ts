import { kindInfo } from "../kinds.js";
import type { DefinitionRef, Resource } from "../types.js";
import type { BehaviourNote, NoteSeverity } from "./change-set.js";
import type { NoteDraft, NoteMesh } from "./notes/note-draft.js";

const SEVERITY_ORDER: Record<NoteSeverity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/**
 * The trait (or document) that wrote a field: the contribution with the longest path that
 * holds the pointer, else the resource's own source.
 */
function sourceOf(resource: Resource, pointer: string): BehaviourNote["source"] {
  let best: { file: string; line: number; trait: string; length: number; definition?: DefinitionRef } | undefined;
  for (const c of resource.sources ?? []) {
    for (const path of c.paths) {
      const holds = pointer === path || pointer.startsWith(`${path}/`);
      if (holds && (!best || path.length > best.length)) best = { file: c.file, line: c.line, trait: c.trait, length: path.length, ...(c.definition ? { definition: c.definition } : {}) };
    }
  }
  if (best) return { file: best.file, line: best.line, trait: best.trait, ...(best.definition ? { definition: best.definition } : {}) };
  const { file, line, trait, definition } = resource.source;
  return { file, line, ...(trait !== undefined ? { trait } : {}), ...(definition ? { definition } : {}) };
}

/**
 * Where a note points. A field the head no longer has was written by a base contributor; when
 * that document or trait still shapes the resource in the head, its head line is where the
 * reviewer looks (it was edited there), else the base line is given as "was at".
 */
function locate(d: NoteDraft, before: Resource | undefined, after: Resource | undefined): { source: BehaviourNote["source"]; inBase: boolean } {
  if (d.side === "head" && after) return { source: sourceOf(after, d.pointer), inBase: false };
  const from = before ?? after;
  if (!from) return { source: { file: "", line: 0 }, inBase: false };
  const source = sourceOf(from, d.pointer);
  // A raw document is edited in place: its head line is where the change is.
  if (after && source.trait === undefined) return { source: sourceOf(after, ""), inBase: false };
  const still = after?.sources?.find((c) => c.trait === source.trait && c.file === source.file);
  if (still) return { source: { file: still.file, line: still.line, trait: still.trait, ...(still.definition ? { definition: still.definition } : {}) }, inBase: false };
  return { source, inBase: from === before };
}

/**
 * What a resource's change does, in an operator's words, each note naming the resource and
 * the manifest line behind it (in the head, or in the base for what the head no longer has).
 * Most severe first.
 */
export function behaviourNotes(params: { before?: Resource; after?: Resource; base: readonly Resource[]; head: readonly Resource[]; mesh: NoteMesh; only?: string | undefined }): BehaviourNote[] {
  const { before, after, base, head, mesh, only } = params;
  const object = (after ?? before)?.object;
  if (!object) return [];
  // By API group and kind, as the registry keeps them: a Gateway API `Gateway` is not an Istio one.
  const rules = kindInfo(object)?.notes ?? [];
  const input = { before: before?.object, after: after?.object, base, head, mesh };
  const drafts: NoteDraft[] = rules.flatMap((rule) => rule(input));
  const resource = { kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name };
  const notes = drafts.map((d): BehaviourNote => {
    const { source, inBase } = locate(d, before, after);
    const defined = source.definition ? `, defined by ${source.definition.file}:${source.definition.line}` : "";
    const where = `${inBase ? "was at " : ""}${source.file}:${source.line}${source.trait !== undefined ? ` (${source.trait}${source.trait.startsWith("workflow step ") ? "" : " trait"}${defined})` : defined}`;
    const scoped = after ?? before;
    const step = scoped?.step ? `step ${scoped.step.name}${scoped.step.gates.length > 0 ? ` (after manual gate ${scoped.step.gates.join(", ")})` : ""}: ` : "";
    // "in production only": the same resource of the other environments did not change.
    const environment = scoped?.environment !== undefined ? ` in ${scoped.environment}${only !== undefined ? " only" : ""}` : "";
    return {
      kind: d.kind,
      severity: d.severity,
      effect: d.effect,
      message: `${step}${d.text} — ${resource.kind} ${resource.namespace}/${resource.name}${environment}, ${where}`,
      resource,
      source,
      ...(scoped?.environment !== undefined ? { environment: scoped.environment } : {}),
    };
  });
  return notes.map((n, i) => ({ n, i })).sort((x, y) => SEVERITY_ORDER[x.n.severity] - SEVERITY_ORDER[y.n.severity] || x.i - y.i).map(({ n }) => n);
}
