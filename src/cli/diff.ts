import { evaluationsFor } from "../cue/evaluations-for.js";
import { parseArgs } from "node:util";
import { diffRenders } from "../core/diff/diff-renders.js";
import { RenderMemo } from "../core/render/render-memo.js";
import { renderSnapshot } from "../core/render/render-snapshot.js";
import type { Diagnostic } from "../core/types.js";
import { diffJson } from "../report/diff-json.js";
import { diffMarkdown } from "../report/diff-markdown.js";
import { diffText } from "../report/diff-text.js";
import { formatDiagnostics } from "./diagnostics.js";
import { EXIT_OK, UsageError, type CliIO } from "./io.js";
import { readChange } from "./read-change.js";

export const diffUsage = `meshgate diff --base <dir|rev> --head <dir|rev> [--format text|markdown|json]

Renders the Istio configuration at the base and at the head, and shows what changes, resource
by resource, with notes on what changes in behaviour (mTLS, TLS, traffic weights, retries,
timeouts, public hosts, authorization, JWT, egress, fault injection).

A value that is an existing directory is read from disk; otherwise it is a git revision of
the repository in the current directory, read through git (no checkout). When both are
revisions, the base side is their merge base, as GitHub's "Files changed" compares.
The config (.github/meshgate.yml) is read from --base as given.

Formats: text (terminal), markdown (a PR comment: summary table, notes, one collapsible diff
per resource), json ({ changes: [{ change, kind, namespace, name, fields: [{ path, before,
after }], notes }] }). Field paths are JSON-pointer style; list items with a key are written
[name=value] (e.g. /spec/http/[name=default]/route/[destination.subset=canary]/weight).
Diagnostics of either side go to stderr as file:line: severity: message.
Exit codes: 0 compared (with or without changes), 2 bad usage or unreadable input.
`;

const FORMATS = ["text", "markdown", "json"] as const;
type Format = (typeof FORMATS)[number];

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.file === b.file && a.line === b.line && a.severity === b.severity && a.message === b.message;
}

export async function runDiff(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { base: { type: "string" }, head: { type: "string" }, format: { type: "string", default: "text" } },
    allowPositionals: false,
  });
  if (values.base === undefined || values.head === undefined) throw new UsageError(`diff needs --base and --head\n\n${diffUsage}`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, markdown or json, not ${values.format}`);

  // 1. Read both sides.
  const inputs = await readChange({ cwd: io.cwd, base: values.base, head: values.head });
  // 2. Render both with the base's config; a file the two share is rendered once.
  const memo = new RenderMemo();
  const evaluations = await evaluationsFor([inputs.base.snapshot, inputs.head.snapshot]);
  const baseRender = renderSnapshot(inputs.base.snapshot, inputs.config, memo, evaluations);
  const headRender = renderSnapshot(inputs.head.snapshot, inputs.config, memo, evaluations);
  // 3. Diff.
  const changeSet = diffRenders(baseRender, headRender, { mesh: inputs.config.mesh });
  // 4. Print: the changes on stdout, the diagnostics of both sides on stderr (the base's only
  //    when the head does not repeat them, marked as such).
  const output = format === "json" ? `${JSON.stringify(diffJson(changeSet), null, 2)}\n` : format === "markdown" ? diffMarkdown(changeSet) : diffText(changeSet);
  io.stdout.write(output);
  const headDiagnostics = [...inputs.head.diagnostics, ...headRender.diagnostics];
  const baseDiagnostics = [...inputs.base.diagnostics, ...baseRender.diagnostics]
    .filter((d) => !headDiagnostics.some((h) => sameDiagnostic(h, d)))
    .map((d) => ({ ...d, message: `(base) ${d.message}` }));
  io.stderr.write(formatDiagnostics(inputs.configDiagnostics, inputs.base.displayRoot));
  io.stderr.write(formatDiagnostics(baseDiagnostics, inputs.base.displayRoot));
  io.stderr.write(formatDiagnostics(headDiagnostics, inputs.head.displayRoot));
  return EXIT_OK;
}
