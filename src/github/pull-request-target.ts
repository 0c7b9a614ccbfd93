import type { EvaluationTarget, GitHubClient, RepoRef } from "./target.js";

/** What an evaluation reads of a pull request, as the `pull_request` webhook and `GET /pulls/{n}` give it. */
export interface PullRequestFields {
  number: number;
  user: { login: string } | null;
  commits: number;
  head: { sha: string };
  base: { sha: string };
}

/**
 * A pull request as an evaluation target, read through the base repository (`repo`), so a
 * fork's head is read like any other. A deleted author is GitHub's "ghost".
 */
export function pullRequestTarget(repo: RepoRef, pr: PullRequestFields): EvaluationTarget {
  return {
    repo,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    pullRequest: { number: pr.number, author: pr.user?.login ?? "ghost", commits: pr.commits },
  };
}

/**
 * The target of a pull request the event names without all of it (a review, a re-run, a
 * command): one call for its author and commit count. `headSha` pins the commit the event is
 * about (the check is reported there), even if the branch moved since.
 */
export async function fetchPullRequestTarget(params: { octokit: GitHubClient; repo: RepoRef; number: number; headSha?: string }): Promise<EvaluationTarget> {
  const { octokit, repo, number } = params;
  const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
  const target = pullRequestTarget(repo, data);
  return params.headSha === undefined ? target : { ...target, headSha: params.headSha };
}
