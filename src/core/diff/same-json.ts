import type { JsonValue } from "../types.js";

/** Deep equality of JSON values; key order does not matter, list order does. */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  const keys = (o: typeof a): string[] => Object.keys(o).filter((k) => o[k] !== undefined);
  const aKeys = keys(a);
  if (aKeys.length !== keys(b).length) return false;
  return aKeys.every((k) => sameJson(a[k], b[k]));
}

/** Canonical JSON text (keys sorted), to compare lists as multisets. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}
