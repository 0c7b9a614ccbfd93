import type { Logger } from "probot";
import type { Catalog } from "../core/rules/catalog.js";
import { couldNotEvaluateOutput, type CheckRunOutput } from "../report/check-run.js";
import type { BlobCache } from "./blob-cache.js";
import { gatherInputs } from "./gather.js";
import { JobLost } from "./guarded-fetch.js";
import type { Judge } from "./judge.js";
import { completeCheck, startCheck, upsertComment, type CommentBody } from "./publish.js";
import { CouldNotEvaluate, type EvaluationTarget, type GitHubClient, type RepoRef } from "./target.js";

/** What every evaluation of the process shares: made once at startup. */
export interface AppState {
  cache: BlobCache;
  /** Where gathered inputs are rendered and judged (see Judge): it keeps the render memo, so an evaluation renders only the files no earlier one has. */
  judge: Judge;
  catalog: Catalog;
}

/** The slice of a Probot context an evaluation uses. */
export interface EventContext {
  octokit: GitHubClient;
  log: Logger;
  /** The webhook delivery id (X-GitHub-Delivery). */
  id: string;
}

/** Why a check says "could not evaluate" when the process stopped before it could finish. */
export const STOPPED_REASON = "meshgate was stopped; it will be evaluated again";

/** What an evaluation's owner (the job) decides at its two writes; every hook is optional. */
export interface EvaluationHooks {
  /** A check run already open on this head (left by the previous evaluation of it): completed instead of creating one. */
  checkRunId?: number;
  /** Aborted when the process stops: the check is then completed as stopped (`onStop` "complete") or left as it is ("leave"). */
  signal?: AbortSignal;
  onStop?: () => "complete" | "leave";
  /** Asked before completing the check: "hold" leaves it in progress for an evaluation of the same head already queued. */
  settle?: (output: CheckRunOutput) => Promise<"complete" | "hold">;
  /** Told the id of the check run this evaluation created, before anything else is written. */
  onCheckStarted?: (checkRunId: number) => Promise<void>;
  /** Asked before writing the comment: false when the head evaluated is no longer the pull request's. */
  mayComment?: () => Promise<boolean>;
}

export interface EvaluationResult {
  output: CheckRunOutput;
  checkRunId: number;
  /** How the check was left: completed with a verdict, completed as "could not evaluate", held open, or left by a stop. */
  ended: "verdict" | "could not evaluate" | "held" | "stopped";
}

/**
 * The meshgate check on one commit: started at once, beside the gathering (one round trip
 * less), and completed with the verdict, or with "could not evaluate" whatever fails: never left
 * in progress. The PR comment's existing comments are listed beside the gathering too, so that
 * only its write is left once the check, the gate, is completed. `target` may still be on its
 * way (a pull request to fetch): the check starts meanwhile.
 */
export async function evaluateTarget(params: { context: EventContext; state: AppState; check: { repo: RepoRef; headSha: string }; target: EvaluationTarget | Promise<EvaluationTarget> }): Promise<CheckRunOutput> {
  return (await runEvaluation(params)).output;
}

/** evaluateTarget, with the hooks a queued job uses, and how the check was left. */
export async function runEvaluation(params: {
  context: EventContext;
  state: AppState;
  /** `externalId` is set on the check run created (see startCheck). */
  check: { repo: RepoRef; headSha: string; externalId?: string };
  target: EvaluationTarget | Promise<EvaluationTarget>;
  hooks?: EvaluationHooks;
}): Promise<EvaluationResult> {
  const { context, state, check, hooks = {} } = params;
  const { octokit, log } = context;
  const target = Promise.resolve(params.target);
  const started = hooks.checkRunId !== undefined ? Promise.resolve(hooks.checkRunId) : startCheck({ octokit, repo: check.repo, headSha: check.headSha, ...(check.externalId !== undefined ? { externalId: check.externalId } : {}) });
  const judged = target
    .then(async (t) => {
      const inputs = await gatherInputs({ octokit, target: t, cache: state.cache, catalog: state.catalog, now: new Date().toISOString() });
      return await state.judge.judge(inputs);
    })
    .catch((error: unknown) => ({ error }));
  const stopped = new Promise<{ stopped: true }>((resolve) => {
    if (hooks.signal?.aborted === true) resolve({ stopped: true });
    hooks.signal?.addEventListener("abort", () => { resolve({ stopped: true }); }, { once: true });
  });
  let commentBody: (body: CommentBody) => void = () => undefined;
  const body = new Promise<CommentBody>((resolve) => {
    commentBody = resolve;
  });
  // The comment is a courtesy; the check is the gate: a failed comment leaves the verdict standing.
  // A target that cannot be had is the check's failure to report, not the comment's.
  const commented = target
    .then((t) => (t.pullRequest ? upsertComment({ octokit, repo: t.repo, issueNumber: t.pullRequest.number, body }) : undefined), () => undefined)
    .catch((error: unknown) => {
      if (!(error instanceof JobLost)) log.error({ err: error }, "meshgate could not update the pull request comment");
    });
  let wasStopped = false;
  try {
    const checkRunId = await started;
    if (hooks.checkRunId === undefined) await hooks.onCheckStarted?.(checkRunId);
    const complete = (output: CheckRunOutput): Promise<void> => completeCheck({ octokit, repo: check.repo, checkRunId, output });
    const result = await Promise.race([judged, stopped]);
    if ("stopped" in result) {
      wasStopped = true;
      const output = couldNotEvaluateOutput(STOPPED_REASON);
      if ((hooks.onStop?.() ?? "complete") === "complete") await complete(output);
      return { output, checkRunId, ended: "stopped" };
    }
    if ("error" in result) return { output: await completeUnevaluated({ context, complete, error: result.error }), checkRunId, ended: "could not evaluate" };
    if ((await hooks.settle?.(result.output)) === "hold") return { output: result.output, checkRunId, ended: "held" };
    const completing = complete(result.output);
    // Given after the completion was asked for, so the content lane (one write at a time) takes the gate first.
    const mayComment = hooks.mayComment ? await hooks.mayComment().catch(() => true) : true;
    commentBody(mayComment ? result.comment : null);
    const [completed] = await Promise.allSettled([completing, commented]);
    if (completed.status === "rejected") return { output: await completeUnevaluated({ context, complete, error: completed.reason }), checkRunId, ended: "could not evaluate" };
    return { output: result.output, checkRunId, ended: "verdict" };
  } finally {
    // Whatever ended the evaluation, the comment's upsert ends too (null: left as it is), so the
    // next one for the PR is not held up; and nothing is left in flight (a check that could not
    // even be started leaves the gathering to finish, unused). A stopped one is not waited for.
    commentBody(null);
    if (!wasStopped) await Promise.all([commented, judged]);
  }
}

async function completeUnevaluated(params: { context: EventContext; complete: (output: CheckRunOutput) => Promise<void>; error: unknown }): Promise<CheckRunOutput> {
  const { context, error } = params;
  // A write withheld from a run that lost its job: so would the next be, and the check is the other run's to complete.
  if (error instanceof JobLost) throw error;
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
