import type { BehaviourNote, ChangeSet, ChangeType, ResourceChange } from "../core/diff/change-set.js";
import { scopeLabel } from "../core/render/identity.js";
import { fenceFor, html, inline } from "./markdown-text.js";

/** GitHub's limit on an issue or PR comment body, in characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept for the note that says what was left out. */
const TRUNCATION_RESERVE = 400;

const SEVERITY_ORDER = ["high", "medium", "low", "info"];

function summaryTable(changes: readonly ResourceChange[]): string {
  const kinds = [...new Set(changes.map((c) => c.kind))].sort();
  const count = (kind: string, type: ChangeType): number => changes.filter((c) => c.kind === kind && c.change === type).length;
  const rows = kinds.map((k) => `| ${k} | ${count(k, "added")} | ${count(k, "removed")} | ${count(k, "modified")} |`);
  return ["| Kind | Added | Removed | Modified |", "|---|---:|---:|---:|", ...rows].join("\n");
}

function noteLine(note: BehaviourNote): string {
  return `- **${note.severity}**: ${inline(note.message)}`;
}

function section(change: ResourceChange): string {
  const notes = change.notes.length > 0 ? ` (${change.notes.length} ${change.notes.length === 1 ? "note" : "notes"})` : "";
  const fence = fenceFor(change.patch);
  return [
    `<details><summary>${change.change} <code>${html(`${change.kind} ${change.namespace}/${change.name}`)}</code>${html(scopeLabel(change.after ?? change.before ?? {}))}${notes}</summary>`,
    "",
    `${fence}diff`,
    change.patch.trimEnd(),
    fence,
    "",
    "</details>",
  ].join("\n");
}

/**
 * `meshgate diff` for a PR comment: a summary table by kind, the behavioural notes (most
 * severe first), then one collapsible section per resource with its unified diff. Kept within
 * `maxLength` (GitHub's comment limit by default): what does not fit is named, not cut mid-way.
 */
export function diffMarkdown(changeSet: ChangeSet, options: { maxLength?: number } = {}): string {
  const maxLength = options.maxLength ?? COMMENT_LIMIT;
  const { changes } = changeSet;
  if (changes.length === 0) return "### Mesh changes\n\nNo changes to the rendered mesh.\n";

  const budget = maxLength - TRUNCATION_RESERVE;
  let body = `### Mesh changes\n\n${summaryTable(changes)}\n`;
  const omitted: string[] = [];

  const notes = changes.flatMap((c) => c.notes).map((n, i) => ({ n, i }));
  notes.sort((a, b) => SEVERITY_ORDER.indexOf(a.n.severity) - SEVERITY_ORDER.indexOf(b.n.severity) || a.i - b.i);
  if (notes.length > 0) {
    body += "\n#### What changes in behaviour\n\n";
    let shown = 0;
    for (const { n } of notes) {
      const line = `${noteLine(n)}\n`;
      if (body.length + line.length > budget) break;
      body += line;
      shown++;
    }
    if (shown < notes.length) omitted.push(`${notes.length - shown} more behavioural ${notes.length - shown === 1 ? "note" : "notes"}`);
  }

  body += "\n#### Resources\n";
  let shown = 0;
  for (const change of changes) {
    const part = `\n${section(change)}\n`;
    if (body.length + part.length > budget) break;
    body += part;
    shown++;
  }
  if (shown < changes.length) omitted.push(`the diffs of ${changes.length - shown} more ${changes.length - shown === 1 ? "resource" : "resources"}`);
  if (omitted.length > 0) {
    body += `\n_Not shown, to stay within ${maxLength.toLocaleString("en-US")} characters: ${omitted.join(" and ")}. Run \`meshgate diff\` locally for everything._\n`;
  }
  return body;
}
