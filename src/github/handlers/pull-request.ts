import type { Context } from "probot";
import { evaluateTarget, type AppState } from "../evaluate-target.js";
import { fetchPullRequestTarget, pullRequestTarget } from "../pull-request-target.js";

export type PullRequestEvent = "pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request.ready_for_review" | "pull_request.edited";

/** A new head, a new base, or a pull request back in play: the payload carries the whole pull request. */
export async function onPullRequest(context: Context<PullRequestEvent>, state: AppState): Promise<void> {
  const { payload } = context;
  // A new title or body changes nothing meshgate reads; a new base branch changes everything.
  if (payload.action === "edited" && payload.changes.base === undefined) return;
  const pr = payload.pull_request;
  const repo = context.repo();
  const { commits } = pr;
  // GitHub's schema makes the commit count optional on some actions; it is fetched when absent.
  const target = commits !== undefined ? pullRequestTarget(repo, { ...pr, commits }) : fetchPullRequestTarget({ octokit: context.octokit, repo, number: pr.number, headSha: pr.head.sha });
  await evaluateTarget({ context, state, check: { repo, headSha: pr.head.sha }, target });
}
