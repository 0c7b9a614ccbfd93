import type { JsonValue } from "../types.js";

/**
 * A short key for a list item that has no name of its own (an authorization rule, a source):
 * a hash of its canonical JSON, so that removing or reordering other items keeps it, and any
 * change to the item itself makes it another.
 */
export function stableKey(value: JsonValue | undefined): string {
  let hash = 0x811c9dc5;
  for (const char of canonical(value)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function canonical(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
