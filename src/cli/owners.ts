import { open, stat } from "node:fs/promises";
import { isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { codeownersIndex, type OwnersOf } from "../core/owners/codeowners-index.js";
import { CODEOWNERS_PATHS, findCodeowners } from "../core/owners/find-codeowners.js";
import { CODEOWNERS_MAX_BYTES } from "../core/owners/parse-codeowners.js";
import { formatDiagnostics } from "./diagnostics.js";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from "./io.js";

export const ownersUsage = `meshgate owners <path>... [--root <dir>] [--format text|json]

Prints the code owners of each path (relative to the repository root), read from the root's
CODEOWNERS with GitHub's rules: .github/CODEOWNERS, else CODEOWNERS, else docs/CODEOWNERS.
  --root <dir>     the repository root (default: the current directory)
  --format text    one line per path: the path, its owners and the deciding line (default)
  --format json    { "<path>": ["@owner", ...] }; [] = unowned, null = unknown
Lines GitHub skips are reported on stderr as file:line: severity: message.
Exit codes: 0 owners known, 1 the CODEOWNERS file cannot be used (GitHub ignores it, so owners
are unknown), 2 bad usage or unreadable root.
`;

export async function runOwners(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { root: { type: "string" }, format: { type: "string", default: "text" } },
    allowPositionals: true,
  });
  const format = values.format;
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not ${format}`);
  if (positionals.length === 0) throw new UsageError(`owners takes at least one path\n\n${ownersUsage}`);
  const shownRoot = values.root ?? ".";
  const root = resolve(io.cwd, shownRoot);
  const paths = positionals.map((path) => repositoryPath(root, io.cwd, path));

  const codeowners = findCodeowners(await readCodeownersFiles(root));
  const index = codeownersIndex(codeowners);
  const owners = paths.map((path) => index.ownersOf(path));

  io.stdout.write(format === "json" ? `${JSON.stringify(ownersJson(owners), null, 2)}\n` : owners.map(ownersLine).join(""));
  io.stderr.write(formatDiagnostics(codeowners.diagnostics, shownRoot));
  if (codeowners.status === "absent") {
    io.stderr.write(`meshgate owners: no CODEOWNERS file under ${shownRoot} (looked for ${CODEOWNERS_PATHS.join(", ")}): nothing is owned\n`);
  }
  return codeowners.status === "unusable" ? EXIT_FAILED : EXIT_OK;
}

/** A path as CODEOWNERS sees it: POSIX, relative to the root, without `./`. */
function repositoryPath(root: string, cwd: string, given: string): string {
  const relativeToRoot = (isAbsolute(given) ? relative(root, given) : given).split(sep).join("/");
  const normalized = posix.normalize(relativeToRoot).replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (normalized === "" || normalized === "." || normalized === ".." || normalized.startsWith("../") || posix.isAbsolute(normalized)) {
    throw new UsageError(`${given} is not a path inside the repository root ${relative(cwd, root) || "."}`);
  }
  return normalized;
}

/**
 * Reads the CODEOWNERS candidates of `root`. At most CODEOWNERS_MAX_BYTES are read: a longer
 * file is still that long after the cut, so the core reports it as the file GitHub ignores.
 */
async function readCodeownersFiles(root: string): Promise<Map<string, string>> {
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) throw new UsageError(`cannot read ${root}: not a directory`);
  const files = new Map<string, string>();
  for (const path of CODEOWNERS_PATHS) {
    const text = await readPrefix(join(root, path), CODEOWNERS_MAX_BYTES);
    if (text !== undefined) files.set(path, text);
  }
  return files;
}

/** The first `limit` bytes of a file as text, or undefined when it is absent or not a file. */
async function readPrefix(file: string, limit: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(limit, (await handle.stat()).size));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return new TextDecoder("utf-8", { fatal: false }).decode(buffer.subarray(0, length));
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** `[]` = unowned; `null` = unknown, so a script cannot mistake "cannot tell" for "nobody". */
function ownersJson(owners: readonly OwnersOf[]): Record<string, readonly string[] | null> {
  // fromEntries defines own properties, so a path named `__proto__` stays a key.
  return Object.fromEntries(owners.map((result) => [result.path, result.status === "owned" ? result.owners : result.status === "unowned" ? [] : null]));
}

function ownersLine(result: OwnersOf): string {
  switch (result.status) {
    case "owned":
      return `${result.path}: ${result.owners.join(" ")} (${result.rule.file}:${result.rule.line} ${result.rule.pattern})\n`;
    case "unowned":
      return result.rule
        ? `${result.path}: unowned (${result.rule.file}:${result.rule.line} ${result.rule.pattern} has no owners)\n`
        : `${result.path}: unowned (no line matches)\n`;
    case "unknown":
      return `${result.path}: owners unknown (${result.reason})\n`;
  }
}
