import { statusOf } from "./gather-status.js";
import { CouldNotEvaluate, type GitHubClient, type RepoRef } from "./target.js";

/**
 * The best common ancestor of the base tip and the head: what GitHub's "Files changed"
 * compares the head with. One compare call; `per_page: 1` keeps its commit list to one entry
 * (its file list, capped at 300, is not used: the trees give the changed files).
 */
export async function gatherMergeBase(params: { octokit: GitHubClient; repo: RepoRef; baseSha: string; headSha: string }): Promise<string> {
  const { octokit, repo, baseSha, headSha } = params;
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner: repo.owner, repo: repo.repo, basehead: `${baseSha}...${headSha}`, per_page: 1 });
    return data.merge_base_commit.sha;
  } catch (error) {
    // GitHub answers 404 when a commit is unknown or the two have no common ancestor.
    if (statusOf(error) === 404) throw new CouldNotEvaluate(`GitHub cannot compare ${baseSha} with ${headSha} (a commit is missing or they share no history), so there is no base to diff against`);
    throw error;
  }
}
