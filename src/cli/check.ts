import { evaluationsFor } from "../cue/evaluations-for.js";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { evaluate, type ReviewInputs } from "../core/evaluate.js";
import { parseReviewsFile } from "../core/owners/reviews-file.js";
import { checkJson } from "../report/check-json.js";
import { checkMarkdown } from "../report/check-markdown.js";
import { checkText } from "../report/check-text.js";
import { sarif } from "../report/sarif.js";
import { formatDiagnostics } from "./diagnostics.js";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from "./io.js";
import { packageVersion } from "./package-version.js";
import { readCatalog } from "./read-catalog.js";
import { readChange } from "./read-change.js";

export const checkUsage = `meshgate check --base <dir|rev> --head <dir|rev> [--format text|markdown|json|sarif]
                                    [--reviews FILE] [--now ISO-8601]

The merge gate: renders both sides, diffs them, evaluates the rule catalog on both (a head
finding the base already had is pre-existing), applies the base's waivers, and decides.
Config, waivers and CODEOWNERS are read from --base as given. A value that is an existing
directory is read from disk; otherwise it is a git revision of the repository in the current
directory (the base side of the diff is then the merge base of the two).

--reviews FILE   the pull request's author, commits, reviews, reviewer permissions and team
                 memberships (schema: schemas/reviews.schema.json); with it the approval rules
                 CHG-001…CHG-004 are evaluated too, without it they are left out.
--now TIME       the evaluation time for waiver expiry (default: now).

Formats: text (terminal), markdown (what the PR comment and check summary show), json
({ conclusion, title, findings, changes, approvals, diagnostics }), sarif (SARIF 2.1.0 for code
scanning). Diagnostics go to stderr as file:line: severity: message.
Exit codes: 0 passes, 1 blocking findings, unmet approvals or error diagnostics, 2 bad usage or
unreadable input.
`;

const FORMATS = ["text", "markdown", "json", "sarif"] as const;
type Format = (typeof FORMATS)[number];

export async function runCheck(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      base: { type: "string" },
      head: { type: "string" },
      format: { type: "string", default: "text" },
      reviews: { type: "string" },
      now: { type: "string" },
    },
    allowPositionals: false,
  });
  if (values.base === undefined || values.head === undefined) throw new UsageError(`check needs --base and --head\n\n${checkUsage}`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, markdown, json or sarif, not ${values.format}`);
  const now = values.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now))) throw new UsageError(`--now must be an ISO 8601 time, not ${now}`);

  // 1. Gather: both sides, policy from the base, the reviews file, the catalog.
  const change = await readChange({ cwd: io.cwd, base: values.base, head: values.head });
  const review = values.reviews !== undefined ? await readReviews(resolve(io.cwd, values.reviews), values.reviews) : undefined;
  const catalog = readCatalog();

  // 2. Evaluate (CUE is started only if a side holds a definition).
  const evaluations = await evaluationsFor([change.base.snapshot, change.head.snapshot]);
  const verdict = evaluate({
    base: change.base.snapshot,
    head: change.head.snapshot,
    policy: { ...(change.configText !== undefined ? { config: change.configText } : {}), files: change.policyFiles },
    ...(change.headConfig !== undefined ? { headConfig: change.headConfig } : {}),
    changedFiles: change.changedFiles,
    catalog,
    now,
    ...(review ? { review } : {}),
    readDiagnostics: change.head.diagnostics,
  }, evaluations ? { evaluations } : {});

  // 3. Print.
  const output =
    format === "json" ? `${JSON.stringify(checkJson(verdict), null, 2)}\n`
    : format === "sarif" ? `${JSON.stringify(sarif(verdict, { rules: catalog.rules, version: packageVersion() }), null, 2)}\n`
    : format === "markdown" ? checkMarkdown(verdict)
    : checkText(verdict);
  io.stdout.write(output);
  io.stderr.write(formatDiagnostics([...verdict.diagnostics.config, ...change.base.diagnostics], change.base.displayRoot));
  io.stderr.write(formatDiagnostics(verdict.diagnostics.head, change.head.displayRoot));
  io.stderr.write(formatDiagnostics(verdict.diagnostics.catalog, "."));
  return verdict.conclusion === "success" ? EXIT_OK : EXIT_FAILED;
}

async function readReviews(path: string, shown: string): Promise<ReviewInputs> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new UsageError(`cannot read the reviews file ${shown}`);
  }
  const { review, diagnostics } = parseReviewsFile(shown, text);
  if (!review) throw new UsageError(`the reviews file is invalid:\n${diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join("\n")}`);
  return review;
}
