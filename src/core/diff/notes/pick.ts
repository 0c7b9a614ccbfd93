import type { JsonObject, JsonValue } from "../../types.js";

/** The value at a path of object keys and list indices, or undefined: manifests are untrusted shapes. */
export function pick(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current = value;
  for (const part of path) {
    if (typeof part === "number") current = Array.isArray(current) ? current[part] : undefined;
    else current = isJsonObject(current) ? current[part] : undefined;
  }
  return current;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function pickString(value: JsonValue | undefined, ...path: (string | number)[]): string | undefined {
  const found = pick(value, ...path);
  return typeof found === "string" ? found : undefined;
}

export function pickList(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue[] {
  const found = pick(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** Scalars of a list as text (ports may be numbers); anything else is skipped. */
export function pickStrings(value: JsonValue | undefined, ...path: (string | number)[]): string[] {
  return pickList(value, ...path).flatMap((item) => (typeof item === "string" || typeof item === "number" ? [String(item)] : []));
}

export function pickObject(value: JsonValue | undefined, ...path: (string | number)[]): JsonObject | undefined {
  const found = pick(value, ...path);
  return isJsonObject(found) ? found : undefined;
}
