import type { Logger } from "probot";
import { evaluate, type Verdict } from "../core/evaluate.js";
import type { Catalog } from "../core/rules/catalog.js";
import { checkRunOutput, couldNotEvaluateOutput, type CheckRunOutput } from "../report/check-run.js";
import { pullRequestComment } from "../report/comment.js";
import type { BlobCache } from "./blob-cache.js";
import { gatherInputs } from "./gather.js";
import { completeCheck, startCheck, upsertComment } from "./publish.js";
import { CouldNotEvaluate, type EvaluationTarget, type GitHubClient, type RepoRef } from "./target.js";

/** What every evaluation of the process shares: made once at startup. */
export interface AppState {
  cache: BlobCache;
  catalog: Catalog;
}

/** The slice of a Probot context an evaluation uses. */
export interface EventContext {
  octokit: GitHubClient;
  log: Logger;
  /** The webhook delivery id (X-GitHub-Delivery). */
  id: string;
}

/**
 * The meshgate check on one commit: started at once, beside the gathering (one round trip
 * less), and completed with the verdict, or with "could not evaluate" whatever fails: never left
 * in progress. The PR comment is written beside the completion. `target` may still be on its
 * way (a pull request to fetch): the check starts meanwhile.
 */
export async function evaluateTarget(params: { context: EventContext; state: AppState; check: { repo: RepoRef; headSha: string }; target: EvaluationTarget | Promise<EvaluationTarget> }): Promise<CheckRunOutput> {
  const { context, state, check } = params;
  const { octokit, log } = context;
  const started = startCheck({ octokit, ...check });
  const judged = Promise.resolve(params.target)
    .then(async (target) => {
      const verdict = evaluate(await gatherInputs({ octokit, target, cache: state.cache, catalog: state.catalog, now: new Date().toISOString() }));
      return { target, verdict, output: checkRunOutput(verdict) };
    })
    .catch((error: unknown) => ({ error }));
  const checkRunId = await started;
  const complete = (output: CheckRunOutput): Promise<void> => completeCheck({ octokit, repo: check.repo, checkRunId, output });

  const result = await judged;
  if ("error" in result) return completeUnevaluated({ context, complete, error: result.error });
  const { output } = result;
  const [completed, commented] = await Promise.allSettled([complete(output), publishComment({ octokit, target: result.target, verdict: result.verdict })]);
  // The comment is a courtesy; the check is the gate: a failed comment leaves the verdict standing.
  if (commented.status === "rejected") log.error({ err: commented.reason as unknown }, "meshgate could not update the pull request comment");
  if (completed.status === "rejected") return completeUnevaluated({ context, complete, error: completed.reason });
  return output;
}

async function publishComment(params: { octokit: GitHubClient; target: EvaluationTarget; verdict: Verdict }): Promise<void> {
  const { octokit, target, verdict } = params;
  if (target.pullRequest) await upsertComment({ octokit, repo: target.repo, issueNumber: target.pullRequest.number, body: pullRequestComment(verdict) });
}

async function completeUnevaluated(params: { context: EventContext; complete: (output: CheckRunOutput) => Promise<void>; error: unknown }): Promise<CheckRunOutput> {
  const { context, error } = params;
  context.log.error({ err: error }, "meshgate could not evaluate");
  const output = couldNotEvaluateOutput(reasonOf(error, context.id));
  await params.complete(output);
  return output;
}

/** The reason shown in the check: GitHub's side of the story, or a pointer to the log. */
export function reasonOf(error: unknown, deliveryId: string): string {
  if (error instanceof CouldNotEvaluate) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
  return status !== undefined
    ? `GitHub answered ${status} (${message}), after retries. Re-run the check; meshgate's log has the details under delivery ${deliveryId}.`
    : `meshgate failed: ${message}. Its log has the details under delivery ${deliveryId}.`;
}
