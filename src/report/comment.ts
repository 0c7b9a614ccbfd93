import type { Verdict } from "../core/evaluate.js";
import { checkMarkdown } from "./check-markdown.js";
import { COMMENT_LIMIT } from "./diff-markdown.js";
import { fitWithin } from "./fit-within.js";

/** Opens meshgate's PR comment, so the next evaluation finds it and updates it in place. */
export const COMMENT_MARKER = "<!-- meshgate:pull-request-report -->";

/** What the comment says once a pull request no longer changes the mesh (kept, not deleted, so the thread stays readable). */
export const NO_MESH_CHANGES_COMMENT = `${COMMENT_MARKER}\n## ✅ meshgate: no mesh changes any more\n\nThis pull request no longer changes the rendered mesh, and has no findings of its own. The check run \`meshgate\` has the details.\n`;

/**
 * The PR comment: the report (outcome, errors, findings, approvals, then the mesh diff with
 * its summary table, behavioural notes and collapsible per-resource diffs) under the marker,
 * within GitHub's 65,536 characters. Undefined when the pull request leaves the mesh alone and
 * nothing in it calls for attention: a repository's pre-existing or waived findings alone do
 * not put a comment on every pull request (the check run still lists them).
 */
export function pullRequestComment(verdict: Verdict): string | undefined {
  const { config, head } = verdict.diagnostics;
  const concerns =
    verdict.changes.changes.length > 0 ||
    verdict.findings.some((f) => f.status === "new" || f.blocking) ||
    [...config, ...head].some((d) => d.severity === "error");
  if (!concerns) return undefined;
  return fitWithin(`${COMMENT_MARKER}\n${checkMarkdown(verdict, { maxLength: COMMENT_LIMIT - COMMENT_MARKER.length - 1 })}`, COMMENT_LIMIT);
}
