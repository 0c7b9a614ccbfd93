import { parseArgs } from "node:util";
import { rulesText, rulesJson } from "../report/rules-report.js";
import { formatDiagnostics, hasErrors } from "./diagnostics.js";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from "./io.js";
import { readCatalog } from "./read-catalog.js";

export const rulesUsage = `meshgate rules [--format text|json]

Lists the rule catalog: id, severity, SOC 2 controls and title of every rule.
\`meshgate explain <RULE-ID>\` tells what a rule checks, why, and how to fix a finding.
`;

export async function runRules(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: "string", default: "text" } }, allowPositionals: false });
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not ${values.format}`);
  const catalog = readCatalog();
  io.stdout.write(values.format === "json" ? `${JSON.stringify(rulesJson(catalog.rules), null, 2)}\n` : rulesText(catalog.rules));
  io.stderr.write(formatDiagnostics(catalog.diagnostics, "."));
  return Promise.resolve(hasErrors(catalog.diagnostics) ? EXIT_FAILED : EXIT_OK);
}
