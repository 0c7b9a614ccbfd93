import { createHash } from "node:crypto";
import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { followLinks } from "../core/manifests/follow-links.js";
import { isNeverRead, isScopeCandidate } from "../core/manifests/read-manifests.js";
import type { Diagnostic, Snapshot } from "../core/types.js";
import { UsageError } from "./io.js";

/** Larger files are reported instead of read: no manifest is this big, and memory is finite. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** The regular files of a directory tree as POSIX paths relative to `root`, skipped directories left out. */
async function treeFiles(root: string): Promise<string[]> {
  return (await walkTree(root)).files;
}

interface Tree {
  files: string[];
  /** Symbolic links by path, with their target as written. */
  links: Map<string, string>;
  /** Directories with nothing in them. */
  empty: string[];
}

/** A directory tree as git would list it: regular files, symbolic links (not followed here), and the empty directories git cannot hold. */
async function walkTree(root: string): Promise<Tree> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const posix = (path: string): string => relative(root, path).split(sep).join("/");
  const files: string[] = [];
  const links = new Map<string, string>();
  const directories = new Set<string>();
  const parents = new Set<string>();
  for (const entry of entries) {
    const path = posix(join(entry.parentPath, entry.name));
    if (isNeverRead(path)) continue;
    parents.add(posix(entry.parentPath));
    if (entry.isFile()) files.push(path);
    else if (entry.isDirectory()) directories.add(path);
    else if (entry.isSymbolicLink()) links.set(path, await readlink(join(entry.parentPath, entry.name)).catch(() => "/"));
  }
  return { files, links, empty: [...directories].filter((d) => !parents.has(d)).sort() };
}

export interface ReadSnapshot {
  snapshot: Snapshot;
  diagnostics: Diagnostic[];
}

/** Reads one file of a directory, or undefined when it does not exist. */
export async function readOptionalFile(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, path), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UsageError(`cannot read ${join(root, path)}: ${(error as Error).message}`);
  }
}

/**
 * Reads the files of a directory tree that `wanted` selects (the config's manifest globs, and
 * the policy files) into a Snapshot keyed by POSIX paths relative to `root`.
 */
export async function readDirectorySnapshot(root: string, wanted: (path: string) => boolean): Promise<ReadSnapshot> {
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new UsageError(`cannot read ${root}: no such directory`);
  }
  if (!info.isDirectory()) throw new UsageError(`${root} is not a directory`);

  const files = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const tree = await walkTree(root);
  // Symbolic links inside the tree are followed, as kubectl follows them; ones that leave it are said.
  const followed = followLinks({ files: tree.files, links: tree.links, isRead: wanted });
  diagnostics.push(...followed.diagnostics);
  for (const directory of tree.empty) diagnostics.push({ file: directory, line: 1, severity: "notice", message: "empty directory: nothing to read" });
  if (![...tree.files, ...followed.aliases.keys()].some(isScopeCandidate)) {
    diagnostics.push({ file: ".", line: 1, severity: "notice", message: "no .yaml, .yml or .json file here: there are no manifests to read" });
  }
  const paths = [...tree.files.map((path) => [path, path] as const), ...followed.aliases];
  for (const [path, real] of paths) {
    if (!wanted(path)) continue;
    const absolute = join(root, real);
    const size = (await stat(absolute)).size;
    if (size > MAX_FILE_BYTES) {
      diagnostics.push({ file: path, line: 1, severity: "error", message: `file is ${size} bytes, over meshgate's limit of ${MAX_FILE_BYTES}: not read` });
      continue;
    }
    files.set(path, decoder.decode(await readFile(absolute)));
  }
  return { snapshot: { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))) }, diagnostics };
}

/**
 * Every file of a directory tree with git's blob sha of its content, so that a directory side
 * and a revision side compare alike.
 */
export async function directoryFingerprints(root: string): Promise<Map<string, string>> {
  const fingerprints = new Map<string, string>();
  for (const path of await treeFiles(root)) {
    const content = await readFile(join(root, path));
    fingerprints.set(path, createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex"));
  }
  return fingerprints;
}
