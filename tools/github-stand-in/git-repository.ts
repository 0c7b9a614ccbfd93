import { execFile } from "node:child_process";

/** Every git command is bounded in time and output. */
const GIT_TIMEOUT_MS = 30_000;
const GIT_MAX_OUTPUT = 512 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}$/;

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601, as git prints it with %aI / %cI. */
  date: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export interface GitTreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Blobs only. */
  size?: number;
}

export interface GitObject {
  sha: string;
  type: "blob" | "tree" | "commit" | "tag";
  size: number;
  content: Buffer;
}

export interface GitObjectHeader {
  sha: string;
  type: GitObject["type"];
  size: number;
}

export interface GitFileChange {
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  path: string;
  previousPath?: string;
  /** The blob on the head side; on the base side for a removed file. */
  sha: string;
  /** null for a binary file. */
  additions: number | null;
  deletions: number | null;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${exitCode ?? "killed"}): ${stderr.trim()}`);
  }
}

/** A revision as a client may name it: never an option, never a multi-line batch input. */
export function isSafeRevision(rev: string): boolean {
  return rev.length > 0 && rev.length <= 1024 && !rev.startsWith("-") && !/[\0\n\r]/.test(rev);
}

/**
 * A local git repository read through git's own commands (execFile with argument arrays).
 * Objects are immutable, so commits, trees and objects are cached by sha; refs are read each time.
 */
export class GitRepository {
  private readonly commitCache = new Map<string, GitCommit>();
  private readonly treeCache = new Map<string, GitTreeEntry[]>();
  private readonly objectCache = new Map<string, GitObject>();
  /** Results computed from full shas only (merge bases, commit ranges, changes): they never change. */
  private readonly derivedCache = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  /** Runs git and returns its stdout; rejects with GitCommandError on a non-zero exit. */
  run(args: readonly string[], input?: string | Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        "git",
        ["-C", this.dir, ...args],
        {
          encoding: "buffer",
          timeout: GIT_TIMEOUT_MS,
          maxBuffer: GIT_MAX_OUTPUT,
          env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        },
        (error, stdout, stderr) => {
          if (error) reject(new GitCommandError(args, typeof error.code === "number" ? error.code : null, stderr.toString("utf8")));
          else resolve(stdout);
        },
      );
      // A command that exits without reading its input closes the pipe: its exit status tells what happened.
      child.stdin?.on("error", () => undefined);
      if (input === undefined) child.stdin?.end();
      else child.stdin?.end(input);
    });
  }

  /** The commit a revision names (branch, tag, sha, `main~2`…), or null. */
  async resolveCommit(rev: string): Promise<string | null> {
    if (!isSafeRevision(rev)) return null;
    const [header] = await this.headers([`${rev}^{commit}`]);
    return header?.type === "commit" ? header.sha : null;
  }

  /** The tree a revision or tree sha names, or null. */
  async resolveTree(rev: string): Promise<string | null> {
    if (!isSafeRevision(rev)) return null;
    const [header] = await this.headers([`${rev}^{tree}`]);
    return header?.type === "tree" ? header.sha : null;
  }

  /** Sha, type and size of each object name (`sha`, `rev:path`, `rev^{tree}`); null where there is none. One git process. */
  async headers(names: readonly string[]): Promise<(GitObjectHeader | null)[]> {
    const safe = names.map((name) => isSafeRevision(name));
    const asked = names.filter((_, i) => safe[i]);
    if (asked.length === 0) return names.map(() => null);
    const lines = (await this.run(["cat-file", "--batch-check"], asked.map((n) => `${n}\n`).join(""))).toString("utf8").split("\n");
    let next = 0;
    return names.map((_, i) => {
      if (!safe[i]) return null;
      const line = lines[next++] ?? "";
      const match = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(line);
      if (!match) return null;
      return { sha: match[1] ?? "", type: match[2] as GitObject["type"], size: Number(match[3]) };
    });
  }

  /** Objects by full sha, read with one `git cat-file --batch`; missing ones are absent from the map. */
  async objects(shas: readonly string[]): Promise<Map<string, GitObject>> {
    const found = new Map<string, GitObject>();
    const missing = [...new Set(shas.filter((sha) => SHA.test(sha)))].filter((sha) => {
      const cached = this.objectCache.get(sha);
      if (cached) found.set(sha, cached);
      return !cached;
    });
    if (missing.length === 0) return found;
    const out = await this.run(["cat-file", "--batch"], missing.map((sha) => `${sha}\n`).join(""));
    let at = 0;
    for (let i = 0; i < missing.length && at < out.length; i++) {
      const eol = out.indexOf(0x0a, at);
      if (eol < 0) break;
      const header = out.subarray(at, eol).toString("utf8");
      at = eol + 1;
      const match = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(header);
      if (!match) continue; // "<sha> missing"
      const size = Number(match[3]);
      const object: GitObject = { sha: match[1] ?? "", type: match[2] as GitObject["type"], size, content: Buffer.from(out.subarray(at, at + size)) };
      at += size + 1;
      this.objectCache.set(object.sha, object);
      found.set(object.sha, object);
    }
    return found;
  }

  /** Memoizes a computation on full shas; anything else (a branch name) is computed each time. */
  private derived<T>(key: string, shas: readonly string[], compute: () => Promise<T>): Promise<T> {
    if (!shas.every((sha) => SHA.test(sha))) return compute();
    let cached = this.derivedCache.get(key) as Promise<T> | undefined;
    if (!cached) {
      cached = compute();
      this.derivedCache.set(key, cached);
      cached.catch(() => this.derivedCache.delete(key));
    }
    return cached;
  }

  mergeBase(a: string, b: string): Promise<string | null> {
    return this.derived(`merge-base ${a} ${b}`, [a, b], () => this.computeMergeBase(a, b));
  }

  private async computeMergeBase(a: string, b: string): Promise<string | null> {
    try {
      return (await this.run(["merge-base", a, b])).toString("utf8").trim() || null;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) return null;
      throw error;
    }
  }

  /** Commits reachable from `include` but not from `exclude`, oldest first. */
  commitsBetween(exclude: string, include: string): Promise<string[]> {
    return this.derived(`rev-list ${exclude} ${include}`, [exclude, include], () => this.computeCommitsBetween(exclude, include));
  }

  private async computeCommitsBetween(exclude: string, include: string): Promise<string[]> {
    const out = (await this.run(["rev-list", "--reverse", include, `^${exclude}`, "--"])).toString("utf8");
    return out.split("\n").filter((line) => line !== "");
  }

  /** Commit details, in the order asked; read with one `git log --no-walk` for those not cached. */
  async commits(shas: readonly string[]): Promise<GitCommit[]> {
    const missing = [...new Set(shas)].filter((sha) => !this.commitCache.has(sha));
    if (missing.length > 0) {
      const format = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x1f");
      const out = (await this.run(["log", "--no-walk=unsorted", "-z", `--format=${format}`, ...missing, "--"])).toString("utf8");
      for (const record of out.split("\0")) {
        const f = record.split("\x1f");
        if (f.length < 10) continue;
        const commit: GitCommit = {
          sha: f[0] ?? "",
          tree: f[1] ?? "",
          parents: (f[2] ?? "").split(" ").filter((p) => p !== ""),
          author: { name: f[3] ?? "", email: f[4] ?? "", date: f[5] ?? "" },
          committer: { name: f[6] ?? "", email: f[7] ?? "", date: f[8] ?? "" },
          message: f.slice(9).join("\x1f").replace(/\n$/, ""),
        };
        this.commitCache.set(commit.sha, commit);
      }
    }
    return shas.map((sha) => {
      const commit = this.commitCache.get(sha);
      if (!commit) throw new Error(`git: no commit ${sha}`);
      return commit;
    });
  }

  /** The entries of a tree (by its sha), recursive ones in git's order: a directory before its contents. */
  async tree(treeSha: string, recursive: boolean): Promise<GitTreeEntry[]> {
    const key = `${treeSha} ${recursive ? "r" : "1"}`;
    const cached = this.treeCache.get(key);
    if (cached) return cached;
    const args = recursive ? ["ls-tree", "-r", "-t", "-l", "-z", treeSha] : ["ls-tree", "-l", "-z", treeSha];
    const entries: GitTreeEntry[] = [];
    for (const record of (await this.run(args)).toString("utf8").split("\0")) {
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const [mode = "", type = "", sha = "", size = "-"] = record.slice(0, tab).split(/ +/);
      const entry: GitTreeEntry = { path: record.slice(tab + 1), mode, type: type as GitTreeEntry["type"], sha };
      if (type === "blob") entry.size = Number(size);
      entries.push(entry);
    }
    this.treeCache.set(key, entries);
    return entries;
  }

  /**
   * Reads into memory every blob and tree the revisions name, so that later calls are answered
   * without starting git: GitHub serves a hot repository from memory too, and a benchmark of the
   * app must not measure the stand-in's git processes competing for its CPU.
   */
  async preload(revisions: readonly string[]): Promise<void> {
    for (const revision of revisions) {
      const tree = await this.resolveTree(revision);
      if (tree === null) throw new Error(`no revision ${revision} to preload`);
      await this.objects((await this.tree(tree, true)).filter((entry) => entry.type === "blob").map((entry) => entry.sha));
    }
  }

  /** The files that differ between two commits, renames detected, in git's order. */
  changes(base: string, head: string): Promise<GitFileChange[]> {
    return this.derived(`diff ${base} ${head}`, [base, head], () => this.computeChanges(base, head));
  }

  private async computeChanges(base: string, head: string): Promise<GitFileChange[]> {
    const common = ["diff", "-z", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--no-abbrev"];
    const [raw, numstat] = await Promise.all([
      this.run([...common, "--raw", base, head, "--"]),
      this.run([...common, "--numstat", base, head, "--"]),
    ]);
    const rawFields = raw.toString("utf8").split("\0");
    const changes: GitFileChange[] = [];
    for (let i = 0; i < rawFields.length; ) {
      const meta = rawFields[i++] ?? "";
      if (!meta.startsWith(":")) continue;
      const [, , srcSha = "", dstSha = "", code = ""] = meta.slice(1).split(" ");
      const letter = code.charAt(0);
      const first = rawFields[i++] ?? "";
      const change: GitFileChange = { status: "modified", path: first, sha: dstSha, additions: null, deletions: null };
      if (letter === "R" || letter === "C") {
        change.previousPath = first;
        change.path = rawFields[i++] ?? "";
        change.status = letter === "R" ? "renamed" : "copied";
      } else if (letter === "A") change.status = "added";
      else if (letter === "D") {
        change.status = "removed";
        change.sha = srcSha;
      } else if (letter === "T") change.status = "changed";
      changes.push(change);
    }
    // --numstat -z: "add\tdel\tpath\0", or "add\tdel\t\0src\0dst\0" for a rename; "-" for binary.
    const stats = numstat.toString("utf8").split("\0");
    let index = 0;
    for (let i = 0; i < stats.length && index < changes.length; ) {
      const record = stats[i++] ?? "";
      if (record === "") continue;
      const [add = "-", del = "-", path = ""] = record.split("\t");
      if (path === "") i += 2;
      const change = changes[index++];
      if (!change) break;
      change.additions = add === "-" ? null : Number(add);
      change.deletions = del === "-" ? null : Number(del);
    }
    return changes;
  }
}
