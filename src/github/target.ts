import type { ProbotOctokit } from "probot";

/** The authenticated client of one installation (Probot's Octokit: retry and throttling included). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** What to evaluate: a PR head against its base branch, or a merge group's head against its base (rules only). */
export interface EvaluationTarget {
  repo: RepoRef;
  headSha: string;
  /** The base branch tip (pull_request.base.sha / merge_group.base_sha): policy is read here, and the merge base is computed from it. */
  baseSha: string;
  /** Absent for a merge group: then the approval rules are left out (rulesOnly). */
  pullRequest?: { number: number; author: string; commits: number };
}

/** GitHub truncated or refused what the evaluation needs: the check completes as "could not evaluate", never a partial pass. */
export class CouldNotEvaluate extends Error {
  override readonly name = "CouldNotEvaluate";
}
