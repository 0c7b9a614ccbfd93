import type { Context } from "probot";
import { evaluateTarget, type AppState } from "../evaluate-target.js";
import { fetchPullRequestTarget } from "../pull-request-target.js";

/** submitted, dismissed, edited: approvals changed, so the verdict may have. */
export async function onPullRequestReview(context: Context<"pull_request_review">, state: AppState): Promise<void> {
  const pr = context.payload.pull_request;
  const repo = context.repo();
  // The review's pull request lacks the commit count: it is fetched while the check starts.
  const target = fetchPullRequestTarget({ octokit: context.octokit, repo, number: pr.number, headSha: pr.head.sha });
  await evaluateTarget({ context, state, check: { repo, headSha: pr.head.sha }, target });
}
