import { statusOf } from "./gather-status.js";
import { CouldNotEvaluate, type GitHubClient, type RepoRef } from "./target.js";

/** A file of a commit (a blob, a symbolic link or a submodule): what its tree says, no content. */
export interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  /** Bytes, for blobs. */
  size?: number;
}

const SYMLINK_MODE = "120000";

/**
 * Every file of a commit, from one recursive tree call. A tree over GitHub's limit comes back
 * truncated: files would be missing without a trace, so that fails closed.
 */
export async function gatherTree(params: { octokit: GitHubClient; repo: RepoRef; sha: string }): Promise<TreeEntry[]> {
  const { octokit, repo, sha } = params;
  const { data } = await octokit.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: sha, recursive: "1" }).catch((error: unknown) => {
    // 404: no such commit here (e.g. a fork's head GitHub has not copied yet); 409: an empty repository.
    const status = statusOf(error);
    if (status === 404 || status === 409) throw new CouldNotEvaluate(`GitHub has no tree for ${sha} in ${repo.owner}/${repo.repo} (HTTP ${status})`);
    throw error;
  });
  if (data.truncated) {
    throw new CouldNotEvaluate(`GitHub truncated the file tree of ${sha} (it is over the API's limit of entries or bytes), so meshgate cannot see every manifest`);
  }
  return data.tree
    .filter((entry) => entry.type !== "tree")
    .map((entry) => ({ path: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha, ...(entry.size !== undefined ? { size: entry.size } : {}) }));
}

/**
 * Paths whose content or mode differs between two trees, sorted. A rename is a deletion and an
 * addition, so both of its paths are listed, as code owners must see both. Symbolic links and
 * submodules count: GitHub lists them among a pull request's changed files.
 */
export function changedPaths(before: readonly TreeEntry[], after: readonly TreeEntry[]): string[] {
  const fingerprint = (entry: TreeEntry): string => `${entry.mode} ${entry.sha}`;
  const old = new Map(before.map((entry) => [entry.path, fingerprint(entry)]));
  const current = new Map(after.map((entry) => [entry.path, fingerprint(entry)]));
  return [...new Set([...old.keys(), ...current.keys()])].filter((path) => old.get(path) !== current.get(path)).sort();
}

/** Whether an entry is a regular file whose content can be read as text (not a link, not a submodule). */
export function isRegularFile(entry: TreeEntry): boolean {
  return entry.type === "blob" && entry.mode !== SYMLINK_MODE;
}
