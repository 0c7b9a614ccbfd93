import type { Verdict } from "../core/evaluate.js";
import type { Diagnostic } from "../core/types.js";
import { checkMarkdown } from "./check-markdown.js";
import { diffMarkdown } from "./diff-markdown.js";
import { fitWithin } from "./fit-within.js";
import { code, inline } from "./markdown-text.js";

/** What the check run shows: the `output` of GitHub's check-run API plus its conclusion. */
export interface CheckRunOutput {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
}

/** GitHub's limit on `output.summary` and `output.text`, in characters. */
export const CHECK_FIELD_LIMIT = 65_535;
/** GitHub's limit on an annotation title. */
const ANNOTATION_TITLE_LIMIT = 255;
/**
 * GitHub allows 64 KB per annotation message. In UTF-8 a UTF-16 code unit takes at most 3
 * bytes, so 16,384 units stay within it whatever the text; a longer message is unreadable inline anyway.
 */
const ANNOTATION_MESSAGE_LIMIT = 16_384;
/**
 * Annotations sent per check run. They go 50 per request (GitHub's cap), one request after the
 * other, so this bounds the publishing round trips at 10; what is left out is named in the summary.
 */
export const MAX_ANNOTATIONS = 500;
/** Room kept at the end of the summary for the notes that say what the annotations left out. */
const SUMMARY_NOTES_RESERVE = 600;

const LEVEL_ORDER: Record<CheckAnnotation["annotation_level"], number> = { failure: 0, warning: 1, notice: 2 };

type ReportFinding = Verdict["findings"][number];

/**
 * The check run for a verdict: the one-line outcome as title, the markdown report as summary,
 * the diagnostics (and the full diff when the summary had to leave it out) as text, and one
 * annotation on the OAM line behind each head finding and each head error or warning. Every
 * field is within GitHub's limits; whatever had to give way is named, never cut silently.
 */
export function checkRunOutput(verdict: Verdict): CheckRunOutput {
  // GitHub can only show an annotation on a file of the commit (MTLS-001 may point at a config
  // file the repository does not have): the summary still lists the rest.
  const files = new Set(verdict.files);
  const all = [...verdict.findings.flatMap(findingAnnotation), ...verdict.diagnostics.head.flatMap(diagnosticAnnotation)].filter((a) => files.has(a.path));
  // Most severe first, so a capped list keeps what blocks; stable within a level.
  const sorted = all.map((a, i) => ({ a, i })).sort((x, y) => LEVEL_ORDER[x.a.annotation_level] - LEVEL_ORDER[y.a.annotation_level] || x.i - y.i).map(({ a }) => a);
  const annotations = sorted.slice(0, MAX_ANNOTATIONS);

  const report = checkMarkdown(verdict, { maxLength: CHECK_FIELD_LIMIT - SUMMARY_NOTES_RESERVE });
  const complete = checkMarkdown(verdict, { maxLength: Number.MAX_SAFE_INTEGER });
  const gaveWay = report !== complete;
  const notes = [
    ...(sorted.length > annotations.length ? [`_Annotations: the ${MAX_ANNOTATIONS} most severe of ${sorted.length} are shown on the files._`] : []),
    ...(gaveWay ? ["_This summary was shortened to fit GitHub's limit of 65,535 characters: the mesh diff is in the details below, and `meshgate check` run locally shows everything._"] : []),
  ];
  const summary = notes.length > 0 ? `${report.trimEnd()}\n\n${notes.join("\n\n")}\n` : report;
  const text = detailsText(verdict, gaveWay);

  return {
    conclusion: verdict.conclusion,
    title: oneLine(verdict.title, ANNOTATION_TITLE_LIMIT),
    summary: fitWithin(summary, CHECK_FIELD_LIMIT),
    ...(text !== undefined ? { text } : {}),
    annotations,
  };
}

/**
 * The check run when meshgate could not evaluate the commit (GitHub refused or truncated what
 * it needs, or meshgate failed): a failure, never a pass, that says why and what to do.
 */
export function couldNotEvaluateOutput(reason: string): CheckRunOutput {
  const summary = [
    "## ❌ meshgate: could not evaluate",
    "",
    "meshgate could not evaluate this commit, so the gate fails closed: a change it could not look at never passes.",
    "",
    `**Why:** ${inline(sentence(oneLine(reason, 2_000)))}`,
    "",
    "**What to do:**",
    "",
    "- If GitHub was failing or rate-limiting, re-run the check (**Re-run** on this check, or comment `/recheck` on the pull request).",
    "- If GitHub truncated what meshgate reads (a tree over its size limit, more than 250 commits), a re-run gives the same answer: split the pull request, or gate it with `meshgate check` in CI.",
    "- If it says access was refused, ask an organization owner to check that the meshgate app is installed on this repository with the permissions it asks for (checks: write, pull requests: write, issues: write, contents: read, members: read, metadata: read, merge queues: read), and that any pending permission request has been accepted.",
    "- Run `meshgate check --base <base> --head <head>` locally to see the report for this change.",
    "",
  ].join("\n");
  return { conclusion: "failure", title: "could not evaluate", summary, annotations: [] };
}

/** Reasons come from several places; the report reads them as sentences. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** Blocking → failure; new, unwaived, medium or above → warning; the rest (low, waived, pre-existing) → notice. */
function levelOf(finding: ReportFinding): CheckAnnotation["annotation_level"] {
  if (finding.blocking) return "failure";
  if (finding.status === "new" && finding.severity !== "low") return "warning";
  return "notice";
}

function findingAnnotation(finding: ReportFinding): CheckAnnotation[] {
  // A finding with no file (a template that could not place it) is listed in the summary only.
  if (finding.file === "") return [];
  const resource = finding.resource ? `${finding.resource.kind} ${finding.resource.namespace}/${finding.resource.name}` : "mesh config";
  const status =
    finding.status === "waived" && finding.waiver ? `waived until ${finding.waiver.expires} (${finding.waiver.ticket})`
    : finding.blocking ? `blocking (${finding.status})`
    : finding.status;
  const expired = finding.waiver?.expired ? `; waiver ${finding.waiver.ticket} expired ${finding.waiver.expires}` : "";
  const definition = finding.definition;
  const defined = definition ? `\nRendered by the repository's ${definition.name} definition (${definition.file}:${definition.line})` : "";
  const message = `${finding.message}\n\n${resource} · ${finding.severity} · ${status}${expired} · SOC 2 ${finding.controls.join(", ")}${defined}\nExplain: /explain ${finding.rule}`;
  const own = annotation({ path: finding.file, line: finding.line, level: levelOf(finding), title: `${finding.rule}: ${finding.title}`, message });
  // A definition shapes every Application of its type: the finding is shown at it too.
  if (!definition || (definition.file === finding.file && definition.line === finding.line)) return [own];
  return [own, annotation({ path: definition.file, line: definition.line, level: levelOf(finding), title: `${finding.rule}: ${finding.title}`, message: `${finding.message}\n\nIn ${finding.file}:${finding.line}, rendered by this definition · ${finding.severity} · ${status}\nExplain: /explain ${finding.rule}` })];
}

/** Head errors and warnings point at the manifest line to fix; notices stay in the details. */
function diagnosticAnnotation(diagnostic: Diagnostic): CheckAnnotation[] {
  if (diagnostic.severity === "notice" || diagnostic.file === "") return [];
  const level = diagnostic.severity === "error" ? "failure" : "warning";
  const title = diagnostic.severity === "error" ? "meshgate: cannot read or render this" : "meshgate: warning";
  return [annotation({ path: diagnostic.file, line: diagnostic.line, level, title, message: diagnostic.message })];
}

function annotation(params: { path: string; line: number; level: CheckAnnotation["annotation_level"]; title: string; message: string }): CheckAnnotation {
  const line = Math.max(1, Math.trunc(params.line));
  return {
    path: params.path,
    start_line: line,
    end_line: line,
    annotation_level: params.level,
    title: oneLine(params.title, ANNOTATION_TITLE_LIMIT),
    message: fitWithin(params.message, ANNOTATION_MESSAGE_LIMIT),
  };
}

/** The details below the summary: every diagnostic, and the full diff when the summary left it out. */
function detailsText(verdict: Verdict, withDiff: boolean): string | undefined {
  const { config, head, base, catalog } = verdict.diagnostics;
  const groups: [string, Diagnostic[]][] = [
    ["Head (this change)", head],
    ["Config (base branch)", config],
    ["Merge base: shown, not blocking", base],
    ["meshgate's rule catalog", catalog],
  ];
  const present = groups.filter(([, list]) => list.length > 0);
  const parts: string[] = [];
  if (present.length > 0) {
    const lines = ["### Diagnostics", ""];
    for (const [label, list] of present) {
      lines.push(`#### ${label}`, "", ...list.map((d) => `- **${d.severity}** ${code(`${d.file}:${d.line}`)} ${inline(d.message)}`), "");
    }
    // The diff gets what the diagnostics leave, but they never take it all.
    parts.push(withDiff ? fitWithin(lines.join("\n"), Math.floor(CHECK_FIELD_LIMIT / 2)) : lines.join("\n"));
  }
  if (withDiff) {
    const used = parts.reduce((n, p) => n + p.length + 1, 0);
    parts.push(diffMarkdown(verdict.changes, { maxLength: CHECK_FIELD_LIMIT - used }));
  }
  return parts.length > 0 ? fitWithin(parts.join("\n"), CHECK_FIELD_LIMIT) : undefined;
}

function oneLine(text: string, limit: number): string {
  const line = text.replace(/\s*\n\s*/g, " ").trim();
  return line.length <= limit ? line : `${line.slice(0, limit - 1)}…`;
}
