import { analyzeUsage, runAnalyze } from "./analyze.js";
import { EXIT_USAGE, UsageError, type CliIO } from "./io.js";
import { checkUsage, runCheck } from "./check.js";
import { diffUsage, runDiff } from "./diff.js";
import { explainUsage, runExplain } from "./explain.js";
import { ownersUsage, runOwners } from "./owners.js";
import { packageVersion } from "./package-version.js";
import { renderUsage, runRender } from "./render.js";
import { rulesUsage, runRules } from "./rules.js";

const usage = `meshgate: the merge gate for service-mesh changes declared with OAM

Usage:
  meshgate render <dir> [--format yaml|json]                      rendered Istio resources
  meshgate diff --base <dir|rev> --head <dir|rev> [--format text|markdown|json]
                                                                  what changes in the mesh, and how it behaves
  meshgate check --base <dir|rev> --head <dir|rev> [--format text|markdown|json|sarif] [--reviews FILE]
                                                                  the merge gate: rules, waivers, approvals
  meshgate analyze <dir> [--format text|json] [--mesh-config FILE]
                                                                  Istio's analyzers (istioctl analyze's IST codes), without a cluster
  meshgate owners <path>... [--root <dir>] [--format text|json]   code owners of each path (GitHub's CODEOWNERS rules)
  meshgate rules [--format text|json]                             the rule catalog
  meshgate explain <RULE-ID>                                      what a rule checks, and how to fix a finding

Run \`meshgate <command> --help\` for a command's options.
`;

interface Command {
  run(args: string[], io: CliIO): Promise<number>;
  usage: string;
}

const COMMANDS: Record<string, Command | undefined> = {
  render: { run: runRender, usage: renderUsage },
  diff: { run: runDiff, usage: diffUsage },
  check: { run: runCheck, usage: checkUsage },
  analyze: { run: runAnalyze, usage: analyzeUsage },
  owners: { run: runOwners, usage: ownersUsage },
  rules: { run: runRules, usage: rulesUsage },
  explain: { run: runExplain, usage: explainUsage },
};

/** The command line: returns the exit code, never throws for a user's mistake. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`meshgate: unknown command \`${name}\`\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`meshgate ${name}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
