import type { Context } from "probot";
import { evaluateTarget, type AppState } from "../evaluate-target.js";
import { CHECK_RUN_NAME } from "../publish.js";
import { fetchPullRequestTarget } from "../pull-request-target.js";
import type { GitHubClient, RepoRef } from "../target.js";

/** "Re-run" on the meshgate check, or "Re-run all checks" on meshgate's suite: every open pull request of that commit is evaluated again. */
export async function onRerequested(context: Context<"check_run.rerequested" | "check_suite.rerequested">, state: AppState): Promise<void> {
  const { payload, octokit } = context;
  const rerun = "check_run" in payload ? payload.check_run : payload.check_suite;
  // GitHub sends a re-run request to the app that made the check; a check of another app, or
  // another check of this one, is not meshgate's to answer.
  if ("check_run" in payload && payload.check_run.name !== CHECK_RUN_NAME) return;
  if (rerun.app?.id !== (await appIdOf(octokit))) return;
  const { head_sha: headSha, pull_requests: listed } = rerun;
  const repo = context.repo();
  // The payload lists pull requests from the same repository only: a fork's is found by its head commit.
  const numbers = listed.length > 0 ? listed.map((pr) => pr.number) : await openPullRequestsOf({ octokit, repo, headSha });
  if (numbers.length === 0) context.log.info(`no open pull request has ${headSha} as its head: nothing to re-run`);
  await Promise.all(numbers.map((number) => evaluateTarget({ context, state, check: { repo, headSha }, target: fetchPullRequestTarget({ octokit, repo, number, headSha }) })));
}

async function openPullRequestsOf(params: { octokit: GitHubClient; repo: RepoRef; headSha: string }): Promise<number[]> {
  const { octokit, repo, headSha } = params;
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: repo.owner, repo: repo.repo, commit_sha: headSha, per_page: 100 });
  return data.filter((pr) => pr.state === "open" && pr.head.sha === headSha).map((pr) => pr.number);
}

/** This app's id, from its own credentials: computed locally, no request. */
async function appIdOf(octokit: GitHubClient): Promise<number | undefined> {
  const auth: unknown = await octokit.auth({ type: "app" });
  return typeof auth === "object" && auth !== null && "appId" in auth && typeof auth.appId === "number" ? auth.appId : undefined;
}
