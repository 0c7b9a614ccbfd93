import type { ChangeSet, ChangeType } from "../core/diff/change-set.js";
import type { JsonValue } from "../core/types.js";

/** The documented shape of `meshgate diff --format json` (DESIGN §8); `null` = absent on that side. */
export interface DiffJson {
  changes: {
    change: ChangeType;
    kind: string;
    namespace: string;
    name: string;
    fields: { path: string; before: JsonValue | null; after: JsonValue | null }[];
    notes: string[];
  }[];
}

export function diffJson(changeSet: ChangeSet): DiffJson {
  return {
    changes: changeSet.changes.map((c) => ({
      change: c.change,
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      fields: c.fields.map(({ path, before, after }) => ({ path, before, after })),
      notes: c.notes.map((n) => n.message),
    })),
  };
}
