import { performance } from "node:perf_hooks";
import type { Logger } from "probot";
import { commandReply } from "../report/command-reply.js";
import { couldNotEvaluateOutput } from "../report/check-run.js";
import { answerCommand } from "./answer-command.js";
import { parseCommand } from "./commands.js";
import { reasonOf, runEvaluation, STOPPED_REASON, type AppState, type EvaluationHooks, type EvaluationResult, type EventContext } from "./evaluate-target.js";
import type { JobControl, JobQueue, JobRunner } from "./job-queue.js";
import { headToEvaluate, jobKey, type CommandJob, type Job, type MergeGroupJob, type PullRequestJob, type RerunJob } from "./jobs.js";
import { JobLost } from "./guarded-fetch.js";
import { checkExternalId, completeCheck, findOpenCheck } from "./publish.js";
import { fetchPullRequestTarget, pullRequestTarget } from "./pull-request-target.js";
import type { EvaluationTarget, GitHubClient, RepoRef } from "./target.js";

export interface WorkerDeps {
  state: AppState;
  queue: JobQueue;
  /** The client of an installation (see installationClient); with `mayWrite`, its writes ask it first. */
  clientFor: (installationId: number, options?: { mayWrite?: () => Promise<boolean> }) => Promise<GitHubClient>;
  log: Logger;
}

/** What the worker side does with each job of the queue. */
export function jobRunner(deps: WorkerDeps): JobRunner {
  return async (job, control) => {
    const log = deps.log.child({ job: jobKey(job), deliveries: job.deliveries });
    const started = performance.now();
    try {
      const octokit = await deps.clientFor(job.installationId, control.mayWrite ? { mayWrite: control.mayWrite } : {});
      const context: EventContext = { octokit, log, id: job.deliveries.at(-1) ?? jobKey(job) };
      await runKind({ deps, job, control, context });
      if (!lost(control)) log.info(`meshgate ran job ${jobKey(job)} in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      // A run that lost its job (the queue logs it): the deliveries are the other run's now.
      if (error instanceof JobLost || lost(control)) return;
      // Not even a check could be started (GitHub refused the token, say): a redelivery tries again.
      log.error({ err: error }, "meshgate could not run a job");
      await deps.queue.forgetDeliveries(job.deliveries);
    }
  };
}

function runKind(params: RunParams<Job> & { control: JobControl }): Promise<void> {
  const { job } = params;
  switch (job.kind) {
    case "pull-request":
      return runPullRequest({ ...params, job });
    case "merge-group":
      return runMergeGroup({ ...params, job });
    case "rerun":
      return runRerun({ ...params, job });
    case "command":
      return runCommand({ ...params, job });
  }
}

interface RunParams<J extends Job> {
  deps: WorkerDeps;
  job: J;
  context: EventContext;
}

/** Whether the run lost its job to another worker (see JobControl.mayWrite). */
function lost(control: JobControl): boolean {
  return control.signal.reason instanceof JobLost;
}

function stopHooks(control: JobControl): Pick<EvaluationHooks, "signal" | "onStop"> {
  return { signal: control.signal, onStop: () => control.onStop };
}

/**
 * A pull request's evaluation, on the latest head its events name that is still its head. A job
 * whose every head was superseded makes no write (a newer job evaluates the newer head). A check
 * is held open when another evaluation of the same head is already queued (a review while this
 * one ran), so the head gets one check run, completed once, with the later verdict; and the
 * comment is written only while the head evaluated is still the pull request's.
 */
async function runPullRequest(params: RunParams<PullRequestJob> & { control: JobControl }): Promise<void> {
  const { deps, job, context, control } = params;
  const { queue } = deps;
  const { ledger } = queue;
  const key = jobKey(job);
  await ledger.supersede(key, job.superseded);
  const head = headToEvaluate(job, await ledger.superseded(key, job.heads));
  const open = await ledger.takeOpenCheck(key);
  if (open && open.headSha !== head) await completeCheck({ octokit: context.octokit, repo: job.repo, checkRunId: open.checkRunId, output: open.output });
  if (head === undefined) {
    context.log.info(`meshgate skipped ${key}: every head its events name was superseded`);
    return;
  }
  const known = job.target?.headSha === head ? job.target : undefined;
  const target: EvaluationTarget | Promise<EvaluationTarget> = known
    ? pullRequestTarget(job.repo, { number: job.number, user: { login: known.author }, commits: known.commits, head: { sha: head }, base: { sha: known.baseSha } })
    : fetchPullRequestTarget({ octokit: context.octokit, repo: job.repo, number: job.number, headSha: head });
  const stillHead = async (): Promise<boolean> => !(await ledger.superseded(key, [head])).has(head);
  const record = { headSha: head, installationId: job.installationId, repo: job.repo };
  const externalId = checkExternalId(key, head);
  const reused = open?.headSha === head ? open.checkRunId : await leftByCrash({ control, octokit: context.octokit, repo: job.repo, headSha: head, externalId });
  if (reused !== undefined && open?.headSha !== head) await ledger.leaveOpenCheck(key, { ...record, checkRunId: reused, output: couldNotEvaluateOutput(STOPPED_REASON) });
  const result = await runEvaluation({
    context,
    state: deps.state,
    check: { repo: job.repo, headSha: head, externalId },
    target,
    hooks: {
      ...(reused !== undefined ? { checkRunId: reused } : {}),
      ...stopHooks(control),
      // On record from its creation: a worker that dies mid-evaluation leaves it to the job's retry, or to the next job of the pull request.
      onCheckStarted: (checkRunId) => ledger.leaveOpenCheck(key, { ...record, checkRunId, output: couldNotEvaluateOutput(STOPPED_REASON) }),
      settle: async () => {
        const next = await queue.queued(key);
        if (next?.kind !== "pull-request") return "complete";
        return headToEvaluate(next, await ledger.superseded(key, next.heads)) === head ? "hold" : "complete";
      },
      mayComment: stillHead,
    },
  });
  // The ledger is the job's: a run that lost it leaves its record (say, of a check it completed
  // just before) to the run that holds the job now, which completes that check rather than make one.
  if (lost(control)) return;
  if (result.ended === "held") await ledger.leaveOpenCheck(key, { ...record, checkRunId: result.checkRunId, output: result.output });
  else if (!(result.ended === "stopped" && control.onStop === "leave")) await ledger.takeOpenCheck(key);
  await afterEvaluation({ deps, job, control, result });
}

/**
 * On a retry only (see JobControl.retry), the check run an earlier run of this job created on
 * `headSha` and never put on record: reused, so the head gets one check run and none is left in
 * progress. A first run looks for none (one request less on the common path).
 */
async function leftByCrash(params: { control: JobControl; octokit: GitHubClient; repo: RepoRef; headSha: string; externalId: string }): Promise<number | undefined> {
  const { control, ...check } = params;
  return control.retry ? findOpenCheck(check) : undefined;
}

async function afterEvaluation(params: { deps: WorkerDeps; job: Job; control: JobControl; result: EvaluationResult }): Promise<void> {
  const { deps, job, control, result } = params;
  if (lost(control)) return;
  // "Could not evaluate" is an answer GitHub may change its mind about: a redelivery evaluates again.
  if (result.ended === "could not evaluate" || result.ended === "stopped") await deps.queue.forgetDeliveries(job.deliveries);
}

async function runMergeGroup(params: RunParams<MergeGroupJob> & { control: JobControl }): Promise<void> {
  const { deps, job, context, control } = params;
  const target = { repo: job.repo, headSha: job.headSha, baseSha: job.baseSha };
  const externalId = checkExternalId(jobKey(job), job.headSha);
  const reused = await leftByCrash({ control, octokit: context.octokit, repo: job.repo, headSha: job.headSha, externalId });
  const result = await runEvaluation({
    context,
    state: deps.state,
    check: { repo: job.repo, headSha: job.headSha, externalId },
    target,
    hooks: { ...stopHooks(control), ...(reused !== undefined ? { checkRunId: reused } : {}) },
  });
  await afterEvaluation({ deps, job, control, result });
}

/** A re-run whose event listed no pull request (a fork's): the open pull requests with that head are evaluated, each as its own job. */
async function runRerun(params: RunParams<RerunJob>): Promise<void> {
  const { deps, job, context } = params;
  const numbers = await openPullRequestsOf({ octokit: context.octokit, repo: job.repo, headSha: job.headSha });
  if (numbers.length === 0) context.log.info(`no open pull request has ${job.headSha} as its head: nothing to re-run`);
  for (const number of numbers) {
    await deps.queue.enqueue({ kind: "pull-request", installationId: job.installationId, repo: job.repo, deliveries: job.deliveries, number, heads: [job.headSha], superseded: [] });
  }
}

async function openPullRequestsOf(params: { octokit: GitHubClient; repo: RepoRef; headSha: string }): Promise<number[]> {
  const { octokit, repo, headSha } = params;
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: repo.owner, repo: repo.repo, commit_sha: headSha, per_page: 100 });
  return data.filter((pr) => pr.state === "open" && pr.head.sha === headSha).map((pr) => pr.number);
}

/** A command: acknowledged with a reaction, answered in a reply; /recheck queues the pull request's evaluation. */
async function runCommand(params: RunParams<CommandJob>): Promise<void> {
  const { deps, job, context } = params;
  const command = parseCommand(job.body);
  if (!command) return;
  const { octokit } = context;
  const repo = job.repo;
  const recheck = async (target: EvaluationTarget): Promise<void> => {
    const known = target.pullRequest ? { headSha: target.headSha, baseSha: target.baseSha, author: target.pullRequest.author, commits: target.pullRequest.commits } : undefined;
    await deps.queue.enqueue({ kind: "pull-request", installationId: job.installationId, repo, deliveries: [], number: job.number, heads: [target.headSha], superseded: [], ...(known ? { target: known } : {}) });
  };
  const [, answer] = await Promise.all([
    octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: job.commentId, content: "eyes" }),
    answerCommand({ context, state: deps.state, repo, number: job.number, user: job.user, command, recheck }),
  ]);
  await octokit.rest.issues.createComment({ ...repo, issue_number: job.number, body: commandReply(answer) });
}

/**
 * Completes the checks evaluations left open for a queued job that will not run in this process
 * (the embedded queue drops its queued jobs when it stops), as stopped.
 */
export async function completeOpenChecks(params: { deps: WorkerDeps }): Promise<void> {
  const { deps } = params;
  for (const open of await deps.queue.ledger.openChecks()) {
    try {
      const octokit = await deps.clientFor(open.installationId);
      await completeCheck({ octokit, repo: open.repo, checkRunId: open.checkRunId, output: couldNotEvaluateOutput(STOPPED_REASON) });
    } catch (error) {
      deps.log.error({ err: error }, `meshgate could not complete check run ${open.checkRunId} as stopped: ${reasonOf(error, String(open.checkRunId))}`);
    }
  }
}
