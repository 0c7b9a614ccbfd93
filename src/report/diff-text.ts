import type { ChangeSet, ChangeType } from "../core/diff/change-set.js";
import { scopeLabel } from "../core/render/identity.js";
import type { JsonValue } from "../core/types.js";

const MARK: Record<ChangeType, string> = { added: "+", removed: "-", modified: "~" };
/** Long values (whole objects) are cut: the terminal view is a summary; `--format json` has everything. */
const MAX_VALUE = 120;

function show(value: JsonValue | null): string {
  const text = value === null ? "(absent)" : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function counts(changeSet: ChangeSet): string {
  const n = (type: ChangeType): number => changeSet.changes.filter((c) => c.change === type).length;
  return `${n("added")} added, ${n("removed")} removed, ${n("modified")} modified`;
}

/** `meshgate diff` for a terminal: the behaviour first, then each resource with its changed fields. */
export function diffText(changeSet: ChangeSet): string {
  const { changes } = changeSet;
  if (changes.length === 0) return "No changes to the rendered mesh.\n";
  const lines = [`${changes.length} ${changes.length === 1 ? "resource" : "resources"} changed: ${counts(changeSet)}`, ""];
  const notes = changes.flatMap((c) => c.notes);
  if (notes.length > 0) {
    lines.push("Behaviour:");
    const order = ["high", "medium", "low", "info"];
    for (const note of [...notes].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))) {
      lines.push(`  ${note.severity.padEnd(6)} ${note.message}`);
    }
    lines.push("");
  }
  lines.push("Resources:");
  for (const c of changes) {
    // Where the object comes from (the head's, or the base's for a removal): a reviewer opens that line.
    const source = (c.after ?? c.before)?.source;
    lines.push(`  ${MARK[c.change]} ${c.kind} ${c.namespace}/${c.name}${scopeLabel(c.after ?? c.before ?? {})}${source ? ` — ${source.file}:${source.line}` : ""}`);
    if (c.change !== "modified") continue;
    for (const field of c.fields) lines.push(`      ${field.path}: ${show(field.before)} → ${show(field.after)}`);
  }
  return `${lines.join("\n")}\n`;
}
