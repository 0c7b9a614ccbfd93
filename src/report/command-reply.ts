import type { ChangeSet } from "../core/diff/change-set.js";
import type { Rule } from "../core/rules/rule.js";
import type { Diagnostic, Resource } from "../core/types.js";
import { COMMENT_LIMIT, diffMarkdown } from "./diff-markdown.js";
import { code as codeText, fenceFor, html, inline } from "./markdown-text.js";
import { renderYaml } from "./render-output.js";
import { explainRule } from "./rules-report.js";

/** What a comment command found, for the reply that answers it. */
export type CommandAnswer =
  | { kind: "help"; unknown?: string }
  | { kind: "render"; headSha: string; app?: string; resources: readonly Resource[]; diagnostics: readonly Diagnostic[] }
  | { kind: "diff"; headSha: string; changes: ChangeSet }
  | { kind: "explain"; rules: readonly Rule[]; id?: string }
  /** The evaluation was queued: the check, not the reply, gives its verdict (a reply waiting for it would hold a command worker). */
  | { kind: "recheck"; headSha: string }
  | { kind: "refused"; command: string; user: string; permission: string }
  | { kind: "failed"; command: string; reason: string };

/** Room for the note that says what was left out. */
const RESERVE = 600;
const SHOWN_DIAGNOSTICS = 20;

const HELP = `### meshgate commands

| command | what it does |
|---|---|
| \`/render [app]\` | the Istio configuration the PR's head renders: one Application's, or all of it |
| \`/diff\` | what changes in the rendered mesh, resource by resource |
| \`/recheck\` | evaluates the \`meshgate\` check again (needs write permission on the repository) |
| \`/explain RULE-ID\` | what a rule checks, why, and how to fix a finding |
| \`/help\` | this list |

Each can also be written \`/meshgate <command>\`, e.g. \`/meshgate render shop\`.
`;

/** The reply comment that answers a command: markdown within GitHub's comment limit. */
export function commandReply(answer: CommandAnswer): string {
  switch (answer.kind) {
    case "help":
      return answer.unknown === undefined ? HELP : `meshgate does not know the command ${code(answer.unknown)}.\n\n${HELP}`;
    case "render":
      return renderReply(answer);
    case "diff": {
      const heading = `The rendered mesh at ${code(short(answer.headSha))} against its merge base with the base branch.\n\n`;
      return heading + diffMarkdown(answer.changes, { maxLength: COMMENT_LIMIT - heading.length });
    }
    case "explain":
      return explainReply(answer.rules, answer.id);
    case "recheck":
      return `Evaluating ${code(short(answer.headSha))} again: the \`meshgate\` check will show the verdict.\n`;
    case "refused":
      return `Sorry @${answer.user}, ${code(`/${answer.command}`)} needs write permission on this repository (yours: ${html(answer.permission)}). Someone with write access can run it; pushing a commit evaluates the pull request again too.\n`;
    case "failed":
      return `Could not answer ${code(`/${answer.command}`)}: ${html(answer.reason)}\n`;
  }
}

function renderReply(answer: Extract<CommandAnswer, { kind: "render" }>): string {
  const { app, headSha } = answer;
  const resources = app === undefined ? answer.resources : answer.resources.filter((r) => r.source.app === app);
  const scope = app === undefined ? "" : ` for the Application ${code(app)}`;
  if (resources.length === 0) {
    const apps = [...new Set(answer.resources.flatMap((r) => (r.source.app === undefined ? [] : [r.source.app])))].sort();
    const known = apps.length > 0 ? ` Applications rendered at this head: ${apps.map(code).join(", ")}.` : "";
    return `### Rendered mesh at ${code(short(headSha))}\n\nNothing renders${scope}.${known}\n${diagnosticsList(answer.diagnostics)}`;
  }

  const header = `### Rendered mesh at ${code(short(headSha))}${scope}\n\n${diagnosticsList(answer.diagnostics)}`;
  // Whole resources only, in render order, until the reply would outgrow GitHub's limit.
  const budget = COMMENT_LIMIT - RESERVE - header.length;
  const documents: string[] = [];
  let length = 0;
  for (const resource of resources) {
    const document = renderYaml([resource]);
    if (length + document.length + 4 > budget) break;
    documents.push(document);
    length += document.length + 4;
  }
  const yaml = documents.join("---\n");
  const fence = fenceFor(yaml);
  const count = `${resources.length} resource${resources.length === 1 ? "" : "s"}`;
  const omitted = resources.length - documents.length;
  const note = omitted > 0
    ? `\n> [!NOTE]\n> ${omitted} of ${count} left out: a reply is limited to ${COMMENT_LIMIT} characters. \`meshgate render <dir>\` prints all of them.\n`
    : "";
  return `${header}<details><summary>${count} (YAML)</summary>\n\n${fence}yaml\n${yaml}${fence}\n\n</details>\n${note}`;
}

function diagnosticsList(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return "";
  const lines = diagnostics.slice(0, SHOWN_DIAGNOSTICS).map((d) => `- ${d.severity}: ${code(`${d.file}:${d.line}`)} ${inline(d.message)}`);
  const more = diagnostics.length > SHOWN_DIAGNOSTICS ? [`- … and ${diagnostics.length - SHOWN_DIAGNOSTICS} more (the \`meshgate\` check lists them all)`] : [];
  return `${[...lines, ...more].join("\n")}\n\n`;
}

function explainReply(rules: readonly Rule[], id: string | undefined): string {
  const rule = rules.find((r) => r.id === id);
  if (rule) return explainRule(rule);
  const known = rules.map((r) => code(r.id)).join(", ");
  return id === undefined
    ? `Which rule? Write \`/explain RULE-ID\`, with one of ${known}.\n`
    : `There is no rule ${code(id)}. The catalog has ${known}.\n`;
}

/** User text (an app name, a command) as inline code that the text cannot break out of, clipped. */
function code(text: string): string {
  return codeText(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
