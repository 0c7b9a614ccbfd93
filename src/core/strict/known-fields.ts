import type { SchemaIssue } from "../schema-check.js";

/**
 * Where a field's value goes in a known-fields tree: `0` a value whose own keys are not checked
 * (a scalar, an enum, a union of shapes, an object of any keys), a type's name (an object of
 * that type's fields), `[ref]` a list of them, `{ map: ref }` an object of any keys whose values are.
 */
export type FieldRef = 0 | string | [FieldRef] | { map: FieldRef };

/** The fields each kind's objects may hold: what strict field validation accepts of them. */
export interface KnownFields {
  /** By `group/version/Kind`. */
  kinds: Record<string, FieldRef>;
  /** By type name: each field of the type and where its value goes. */
  types: Record<string, Record<string, FieldRef>>;
}

/**
 * The unknown fields of a value, as the API server's strict field validation (`kubectl apply`'s
 * default) rejects them: each at its path, with the fields allowed there. Walks with an explicit
 * stack, so that no document can overflow it.
 */
export function unknownFields(params: { value: unknown; ref: FieldRef; fields: KnownFields }): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const stack: { value: unknown; ref: FieldRef; path: (string | number)[] }[] = [{ value: params.value, ref: params.ref, path: [] }];
  // Children are pushed last first, so that they are visited, and issues given, in document order.
  while (stack.length > 0) {
    const { value, ref, path } = stack.pop() as (typeof stack)[number];
    if (ref === 0 || value === null || typeof value !== "object") continue;
    if (Array.isArray(ref)) {
      if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, ref: ref[0], path: [...path, i] });
      continue;
    }
    if (Array.isArray(value)) continue;
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    if (typeof ref === "object") {
      for (const [key, item] of entries) stack.push({ value: item, ref: ref.map, path: [...path, key] });
      continue;
    }
    const type = params.fields.types[ref];
    if (!type) continue;
    const found: SchemaIssue[] = [];
    for (const [key, item] of entries) {
      const sub = Object.hasOwn(type, key) ? type[key] : undefined;
      if (sub === undefined) {
        const at = path.length > 0 ? ` in \`${path.join(".")}\`` : "";
        found.unshift({ path: [...path, key], message: `unknown key \`${key}\`${at}; allowed: ${Object.keys(type).join(", ")}` });
      } else {
        stack.push({ value: item, ref: sub, path: [...path, key] });
      }
    }
    issues.push(...found);
  }
  return issues;
}
