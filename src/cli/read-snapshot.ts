import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { isNeverRead } from "../core/manifests/read-manifests.js";
import type { Diagnostic, Snapshot } from "../core/types.js";
import { UsageError } from "./io.js";

/** Larger files are reported instead of read: no manifest is this big, and memory is finite. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** The regular files of a directory tree as POSIX paths relative to `root`, skipped directories left out. */
async function treeFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((path) => !isNeverRead(path));
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
  for (const path of await treeFiles(root)) {
    if (!wanted(path)) continue;
    const absolute = join(root, path);
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
