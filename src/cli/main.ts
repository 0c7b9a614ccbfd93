import { EXIT_USAGE, UsageError, type CliIO } from "./io.js";
import { diffUsage, runDiff } from "./diff.js";
import { ownersUsage, runOwners } from "./owners.js";
import { packageVersion } from "./package-version.js";
import { renderUsage, runRender } from "./render.js";

const usage = `meshgate: the merge gate for service-mesh changes declared with OAM

Usage:
  meshgate render <dir> [--format yaml|json]                      rendered Istio resources
  meshgate diff --base <dir|rev> --head <dir|rev> [--format text|markdown|json]
                                                                  what changes in the mesh, and how it behaves
  meshgate owners <path>... [--root <dir>] [--format text|json]   code owners of each path (GitHub's CODEOWNERS rules)

Run \`meshgate <command> --help\` for a command's options.
`;

interface Command {
  run(args: string[], io: CliIO): Promise<number>;
  usage: string;
}

const COMMANDS: Record<string, Command | undefined> = {
  render: { run: runRender, usage: renderUsage },
  diff: { run: runDiff, usage: diffUsage },
  owners: { run: runOwners, usage: ownersUsage },
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
