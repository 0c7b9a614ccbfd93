import type { JsonObject, JsonValue } from "../types.js";
import type { FieldChange } from "./change-set.js";
import { matchItems } from "./match-items.js";
import { canonicalJson, sameJson } from "./same-json.js";

/** Lists whose order changes behaviour: VirtualService rules match first to last; argv is ordered. */
const ORDER_SENSITIVE = new Set(["http", "tcp", "tls", "command", "args"]);

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapeSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

interface Location {
  path: string;
  basePointer: string;
  headPointer: string;
  /** The object key that holds the value: decides whether a list's order matters. */
  key: string;
}

/**
 * The changed fields between two versions of a resource, as readable paths with before and
 * after values (see `FieldChange`). Items of lists are matched by key, so a reorder of subsets,
 * servers or ports is no change, and lists of scalars whose order does not matter (hosts,
 * principals, methods …) are compared as sets. Sorted by position in the head object, then
 * what only the base had.
 */
export function fieldChanges(before: JsonValue | undefined, after: JsonValue | undefined): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, { path: "", basePointer: "", headPointer: "", key: "" }, out);
  return out;
}

function walk(before: JsonValue | undefined, after: JsonValue | undefined, at: Location, out: FieldChange[]): void {
  if (sameJson(before, after)) return;
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
    for (const key of keys) {
      const segment = `/${escapeSegment(key)}`;
      walk(before[key], after[key], { path: at.path + segment, basePointer: at.basePointer + segment, headPointer: at.headPointer + segment, key }, out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    walkList(before, after, at, out);
    return;
  }
  out.push({ path: at.path, pointer: after === undefined ? at.basePointer : at.headPointer, before: before ?? null, after: after ?? null });
}

function walkList(before: JsonValue[], after: JsonValue[], at: Location, out: FieldChange[]): void {
  const orderSensitive = ORDER_SENSITIVE.has(at.key);
  const scalars = [...before, ...after].every((item) => item === null || typeof item !== "object");
  if (scalars) {
    const sorted = (list: JsonValue[]): string[] => list.map(canonicalJson).sort();
    if (!orderSensitive && sameJson(sorted(before), sorted(after))) return;
    out.push({ path: at.path, pointer: at.headPointer, before, after });
    return;
  }
  const { pairs, reordered } = matchItems(before, after, orderSensitive);
  for (const pair of pairs) {
    const segment = `/${escapeSegment(pair.segment)}`;
    walk(pair.before, pair.after, {
      path: at.path + segment,
      basePointer: `${at.basePointer}/${pair.beforeIndex ?? ""}`,
      headPointer: `${at.headPointer}/${pair.afterIndex ?? ""}`,
      key: "",
    }, out);
  }
  if (reordered) out.push({ path: `${at.path}/[order]`, pointer: at.headPointer, before: reordered.before, after: reordered.after });
}
