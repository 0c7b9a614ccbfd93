import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { GitRepository } from "./git-repository.js";

/** File contents by repository path; null deletes the path. */
export type FileSet = Record<string, string | Uint8Array | null>;

export interface CommitOptions {
  branch: string;
  files: FileSet;
  /** The parent revision when the branch does not exist yet; the branch's tip otherwise. */
  from?: string;
  /** The commit holds exactly `files` instead of its parent's tree patched with them. */
  replace?: boolean;
  message?: string;
  author?: { name: string; email: string };
}

/** Commit dates are a fixed sequence, so the same commits give the same shas on every run. */
const EPOCH_SECONDS = Date.UTC(2024, 0, 1) / 1000;
const MAX_DIRECTORY_DEPTH = 32;

/**
 * A temporary bare git repository for tests, demos and benchmarks. Commits are written with
 * `git fast-import` (one process per commit, whatever the number of files), with fixed dates
 * and identities, so shas are reproducible.
 */
export class ScratchRepository {
  readonly git: GitRepository;
  private commitCount = 0;

  private constructor(readonly dir: string) {
    this.git = new GitRepository(dir);
  }

  static async create(): Promise<ScratchRepository> {
    const dir = await mkdtemp(join(tmpdir(), "meshgate-stand-in-"));
    const repository = new ScratchRepository(dir);
    await repository.git.run(["init", "--quiet", "--bare", "--initial-branch=main"]);
    return repository;
  }

  /** Writes a commit on `branch` and returns its sha. */
  async commit(options: CommitOptions): Promise<string> {
    const [sha] = await this.commits([options]);
    if (!sha) throw new Error("fast-import wrote no commit");
    return sha;
  }

  /**
   * Writes commits in order with one `git fast-import` (a commit follows the previous one of its
   * branch) and returns their shas.
   */
  async commits(list: readonly CommitOptions[]): Promise<string[]> {
    const chunks: Buffer[] = [];
    const started = new Set<string>();
    for (const [index, options] of list.entries()) {
      const { branch, files } = options;
      if (!/^[\w./-]+$/.test(branch) || branch.startsWith("-")) throw new Error(`unsupported branch name "${branch}"`);
      const ref = `refs/heads/${branch}`;
      // fast-import chains commits of a branch it has seen; the first one needs its parent named.
      let parent: string | null = null;
      if (!started.has(branch)) {
        const { from } = options;
        parent = await this.git.resolveCommit(ref);
        // A branch written earlier in this stream is named by its ref: fast-import knows its new tip, git does not yet.
        if (parent === null && from !== undefined) parent = started.has(from) ? `refs/heads/${from}` : await this.git.resolveCommit(from);
        if (parent === null && from !== undefined) throw new Error(`no commit "${from}"`);
        started.add(branch);
      }
      const author = options.author ?? { name: "Meshgate Demo", email: "demo@users.noreply.github.com" };
      const when = `${EPOCH_SECONDS + 60 * this.commitCount++} +0000`;
      const message = Buffer.from(options.message ?? `Update ${branch}`, "utf8");
      chunks.push(
        Buffer.from(`commit ${ref}\nmark :${index + 1}\nauthor ${author.name} <${author.email}> ${when}\ncommitter ${author.name} <${author.email}> ${when}\ndata ${message.length}\n`),
        message,
        Buffer.from("\n"),
      );
      if (parent) chunks.push(Buffer.from(`from ${parent}\n`));
      if (options.replace) chunks.push(Buffer.from("deleteall\n"));
      for (const path of Object.keys(files).sort()) {
        if (!isPlainPath(path)) throw new Error(`unsupported path "${path}"`);
        const content = files[path];
        if (content === null || content === undefined) {
          chunks.push(Buffer.from(`D ${path}\n`));
          continue;
        }
        const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
        chunks.push(Buffer.from(`M 100644 inline ${path}\ndata ${bytes.length}\n`), bytes, Buffer.from("\n"));
      }
    }
    chunks.push(Buffer.from("done\n"));
    const marks = join(this.dir, "stand-in-marks");
    await this.git.run(["fast-import", "--quiet", "--done", "--date-format=raw", `--export-marks=${marks}`], Buffer.concat(chunks));
    const shas = new Map<string, string>();
    for (const line of (await readFile(marks, "utf8")).split("\n")) {
      const [mark, sha] = line.split(" ");
      if (mark && sha) shas.set(mark, sha);
    }
    return list.map((_, index) => {
      const sha = shas.get(`:${index + 1}`);
      if (!sha) throw new Error(`fast-import wrote no commit ${index + 1}`);
      return sha;
    });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** A path fast-import takes unquoted, without leading slash or dot segments. */
function isPlainPath(path: string): boolean {
  return path !== "" && !/[\0\n\r]/.test(path) && !path.startsWith('"') && path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Every file under a directory, by POSIX path relative to it. */
export async function readFileSet(dir: string): Promise<FileSet> {
  const files: FileSet = {};
  const walk = async (current: string, depth: number): Promise<void> => {
    if (depth > MAX_DIRECTORY_DEPTH) throw new Error(`${current}: directories nested too deep`);
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) files[relative(dir, path).split(sep).join("/")] = await readFile(path);
    }
  };
  await walk(dir, 0);
  return files;
}

/**
 * The project's example as a pull request: `main` holds examples/shop, `pr` (one commit on
 * top of it) holds examples/shop-pr.
 */
export async function createShopRepository(projectRoot: string = process.cwd()): Promise<ScratchRepository> {
  const repository = await ScratchRepository.create();
  try {
    await repository.commit({ branch: "main", files: await readFileSet(join(projectRoot, "examples/shop")), message: "The shop" });
    await repository.commit({
      branch: "pr",
      from: "main",
      replace: true,
      files: await readFileSet(join(projectRoot, "examples/shop-pr")),
      message: "Change the shop's mesh",
      author: { name: "Alex", email: "alex@users.noreply.github.com" },
    });
    return repository;
  } catch (error) {
    await repository.remove();
    throw error;
  }
}
