import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { followLinks } from "../core/manifests/follow-links.js";
import type { Diagnostic } from "../core/types.js";
import { UsageError } from "./io.js";
import { MAX_FILE_BYTES, type ReadSnapshot } from "./read-snapshot.js";

const run = promisify(execFile);

/** Git output can be large (a whole tree listing): well above any repository meshgate reads. */
const MAX_BUFFER = 256 * 1024 * 1024;

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: MAX_BUFFER, encoding: "utf8" });
  return stdout;
}

/**
 * The commit a revision names in the repository at `cwd`. A revision is passed to git as one
 * argument, never through a shell, and one that looks like an option is refused.
 */
export async function resolveCommit(cwd: string, revision: string): Promise<string> {
  if (revision === "" || revision.startsWith("-")) throw new UsageError(`\`${revision}\` is neither a directory nor a git revision`);
  try {
    return (await git(cwd, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`])).trim();
  } catch {
    throw new UsageError(`\`${revision}\` is neither a directory nor a git revision of the repository in ${cwd}`);
  }
}

/** The best common ancestor of two commits: what GitHub's "Files changed" compares the head with. */
export async function mergeBase(cwd: string, base: string, head: string): Promise<string> {
  try {
    return (await git(cwd, ["merge-base", base, head])).trim();
  } catch {
    throw new UsageError(`${base} and ${head} have no common ancestor: nothing to compare the head with`);
  }
}

/** The top directory of the work tree at `cwd`: paths in a tree are relative to it. A bare repository has none: `cwd` then. */
export async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return cwd;
  }
}

interface TreeEntry {
  path: string;
  sha: string;
  size: number;
  /** A symbolic link: its blob is the target path. */
  link: boolean;
}

/** `git ls-tree -r -z -l` lines: `<mode> SP <type> SP <sha> SP+ <size> TAB <path>`. */
function parseTree(listing: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of listing.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
    // Submodules are other repositories, not files of this revision.
    if (type !== "blob" || sha === undefined) continue;
    entries.push({ path: record.slice(tab + 1), sha, size: Number(size), link: mode === "120000" });
  }
  return entries;
}

/** The contents of blobs by sha, through one `git cat-file --batch` process. */
async function readBlobs(cwd: string, shas: string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (shas.length === 0) return blobs;
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file failed: ${Buffer.concat(errors).toString("utf8").trim()}`));
    });
    child.stdin.end(`${shas.join("\n")}\n`);
  });
  // Each object: `<sha> <type> <size>\n<content>\n`.
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) break;
    const [sha, type, size] = output.subarray(offset, newline).toString("utf8").split(" ");
    if (sha === undefined || type === "missing" || size === undefined) {
      offset = newline + 1;
      continue;
    }
    const start = newline + 1;
    const end = start + Number(size);
    blobs.set(sha, output.subarray(start, end));
    offset = end + 1;
  }
  return blobs;
}

/** Every file of a commit with its blob sha: what changed between two sides, without reading any blob. */
export async function treeFingerprints(cwd: string, commit: string): Promise<Map<string, string>> {
  let listing: string;
  try {
    listing = await git(cwd, ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]);
  } catch (error) {
    throw new UsageError(`cannot list the files of ${commit}: ${(error as Error).message}`);
  }
  // Every entry counts, symbolic links and submodules included: a change to one still needs its
  // code owners. Regular files are keyed by blob sha alone, so they compare with a directory's.
  const fingerprints = new Map<string, string>();
  for (const record of listing.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, sha] = record.slice(0, tab).split(/ +/);
    if (sha === undefined) continue;
    fingerprints.set(record.slice(tab + 1), type === "blob" && mode !== "120000" ? sha : `${mode ?? ""}:${sha}`);
  }
  return fingerprints;
}

/**
 * The files of a commit that `wanted` selects, read through git itself (no checkout), as a
 * Snapshot keyed by paths relative to the repository root. Sorted, like a directory snapshot.
 */
export async function gitSnapshot(params: { cwd: string; commit: string; wanted: (path: string) => boolean }): Promise<ReadSnapshot> {
  const { cwd, commit, wanted } = params;
  let listing: string;
  try {
    listing = await git(cwd, ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]);
  } catch (error) {
    throw new UsageError(`cannot list the files of ${commit}: ${(error as Error).message}`);
  }
  const diagnostics: Diagnostic[] = [];
  const tree = parseTree(listing);
  const regular = tree.filter((e) => !e.link);
  // Symbolic links are followed inside the revision (their blobs are their targets), as kubectl follows them.
  const linkEntries = tree.filter((e) => e.link);
  const targets = await readBlobs(cwd, [...new Set(linkEntries.map((e) => e.sha))]);
  const followed = followLinks({
    files: regular.map((e) => e.path),
    links: new Map(linkEntries.map((e) => [e.path, targets.get(e.sha)?.toString("utf8") ?? "/"])),
    isRead: wanted,
  });
  diagnostics.push(...followed.diagnostics);
  const byPath = new Map(regular.map((e) => [e.path, e]));
  const aliased = [...followed.aliases].flatMap(([path, real]) => {
    const entry = byPath.get(real);
    return entry ? [{ ...entry, path }] : [];
  });
  const entries = [...regular, ...aliased]
    .filter((e) => wanted(e.path))
    .filter((e) => {
      if (e.size <= MAX_FILE_BYTES) return true;
      diagnostics.push({ file: e.path, line: 1, severity: "error", message: `file is ${e.size} bytes, over meshgate's limit of ${MAX_FILE_BYTES}: not read` });
      return false;
    });
  // An unchanged file shares its blob with other paths and revisions: read each blob once.
  const blobs = await readBlobs(cwd, [...new Set(entries.map((e) => e.sha))]);
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const files = new Map<string, string>();
  for (const entry of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const blob = blobs.get(entry.sha);
    if (blob) files.set(entry.path, decoder.decode(blob));
  }
  return { snapshot: { files }, diagnostics };
}
