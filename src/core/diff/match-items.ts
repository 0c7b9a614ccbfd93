import type { JsonObject, JsonValue } from "../types.js";
import { canonicalJson } from "./same-json.js";

/** One item of a list at base and head, matched by key (or by position when unkeyed). */
export interface ItemPair {
  /** The readable path segment: `[name=canary]` for a keyed item, else the index (head's, or base's when removed). */
  segment: string;
  before?: JsonValue;
  after?: JsonValue;
  beforeIndex?: number;
  afterIndex?: number;
}

export interface MatchedItems {
  pairs: ItemPair[];
  /** Set when the list is order-sensitive, keyed, and its common items changed order: their keys, base and head. */
  reordered?: { before: string[]; after: string[] };
}

/**
 * Fields that identify an item of a list, tried in order; the first whose values are scalars,
 * present and unique on both sides wins. `name` covers subsets, routes, ports and containers;
 * the others cover Istio lists whose items have no name (gateway servers, route destinations,
 * `when` conditions, JWT rules, ServiceEntry and Service ports).
 */
const KEY_FIELDS: readonly (readonly string[])[] = [
  ["name"],
  ["port", "name"],
  ["destination", "subset"],
  ["destination", "host"],
  ["key"],
  ["issuer"],
  ["number"],
  ["port"],
  ["containerPort"],
];

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function keyOf(item: JsonValue, field: readonly string[]): string | undefined {
  let value: JsonValue | undefined = item;
  for (const part of field) value = isJsonObject(value) ? value[part] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function uniquelyKeyed(list: readonly JsonValue[], field: readonly string[]): boolean {
  const keys = new Set<string>();
  for (const item of list) {
    const key = keyOf(item, field);
    if (key === undefined || keys.has(key)) return false;
    keys.add(key);
  }
  return true;
}

function keyFieldOf(before: readonly JsonValue[], after: readonly JsonValue[]): readonly string[] | undefined {
  if (before.length + after.length === 0) return undefined;
  return KEY_FIELDS.find((field) => uniquelyKeyed(before, field) && uniquelyKeyed(after, field));
}

/**
 * Pairs the items of a list at base and head, so that a reorder is not a rewrite: by key when
 * the items have one; else, for a list whose order does not matter, identical items first and
 * the rest by position; for an order-sensitive list, by position.
 */
export function matchItems(before: readonly JsonValue[], after: readonly JsonValue[], orderSensitive = false): MatchedItems {
  const field = keyFieldOf(before, after);
  if (field) return matchByKey(before, after, field, orderSensitive);
  return { pairs: orderSensitive ? matchByPosition(before, after) : matchUnordered(before, after) };
}

function matchByKey(before: readonly JsonValue[], after: readonly JsonValue[], field: readonly string[], orderSensitive: boolean): MatchedItems {
  const label = field.join(".");
  const segment = (key: string): string => `[${label}=${key}]`;
  const baseIndex = new Map(before.map((item, i) => [keyOf(item, field) ?? "", i]));
  const headKeys = new Set<string>();
  const pairs: ItemPair[] = [];
  after.forEach((item, afterIndex) => {
    const key = keyOf(item, field) ?? "";
    headKeys.add(key);
    const beforeIndex = baseIndex.get(key);
    pairs.push({ segment: segment(key), after: item, afterIndex, ...(beforeIndex !== undefined ? { before: before[beforeIndex], beforeIndex } : {}) });
  });
  before.forEach((item, beforeIndex) => {
    const key = keyOf(item, field) ?? "";
    if (!headKeys.has(key)) pairs.push({ segment: segment(key), before: item, beforeIndex });
  });
  if (!orderSensitive) return { pairs };
  const common = (list: readonly JsonValue[], other: Set<string>): string[] => list.map((item) => keyOf(item, field) ?? "").filter((k) => other.has(k));
  const baseOrder = common(before, headKeys);
  const headOrder = common(after, new Set(baseIndex.keys()));
  const reordered = baseOrder.some((k, i) => headOrder[i] !== k);
  return { pairs, ...(reordered ? { reordered: { before: baseOrder, after: headOrder } } : {}) };
}

function matchByPosition(before: readonly JsonValue[], after: readonly JsonValue[]): ItemPair[] {
  const pairs: ItemPair[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    pairs.push({
      segment: String(i),
      ...(i < before.length ? { before: before[i], beforeIndex: i } : {}),
      ...(i < after.length ? { after: after[i], afterIndex: i } : {}),
    });
  }
  return pairs;
}

function matchUnordered(before: readonly JsonValue[], after: readonly JsonValue[]): ItemPair[] {
  const baseTexts = before.map(canonicalJson);
  const used = new Set<number>();
  const partner = after.map((item) => {
    const text = canonicalJson(item);
    const i = baseTexts.findIndex((t, j) => t === text && !used.has(j));
    if (i >= 0) used.add(i);
    return i;
  });
  const leftovers = before.map((_, i) => i).filter((i) => !used.has(i));
  const pairs: ItemPair[] = after.map((item, afterIndex) => {
    let beforeIndex = partner[afterIndex] ?? -1;
    if (beforeIndex < 0) beforeIndex = leftovers.shift() ?? -1;
    return { segment: String(afterIndex), after: item, afterIndex, ...(beforeIndex >= 0 ? { before: before[beforeIndex], beforeIndex } : {}) };
  });
  for (const beforeIndex of leftovers) pairs.push({ segment: String(beforeIndex), before: before[beforeIndex], beforeIndex });
  return pairs;
}
