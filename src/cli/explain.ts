import { parseArgs } from "node:util";
import { explainRule } from "../report/rules-report.js";
import { EXIT_OK, UsageError, type CliIO } from "./io.js";
import { readCatalog } from "./read-catalog.js";

export const explainUsage = `meshgate explain <RULE-ID>

Prints what a rule checks, why it matters, the Istio default behind it, and how to fix a
finding (the same text the /explain command answers in a pull request).
`;

export async function runExplain(args: string[], io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`explain takes one rule id\n\n${explainUsage}`);
  const id = (positionals[0] ?? "").toUpperCase();
  const { rules } = readCatalog();
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new UsageError(`no rule ${id}; \`meshgate rules\` lists them (${rules.map((r) => r.id).join(", ")})`);
  io.stdout.write(explainRule(rule));
  return Promise.resolve(EXIT_OK);
}
