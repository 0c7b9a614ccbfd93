import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { readCatalog } from "../cli/read-catalog.js";
import { BlobCache } from "./blob-cache.js";
import { EmbeddedQueue } from "./embedded-queue.js";
import type { AppState } from "./evaluate-target.js";
import { issueCommentJobs } from "./handlers/issue-comment.js";
import { mergeGroupJobs } from "./handlers/merge-group.js";
import { pullRequestReviewJobs } from "./handlers/pull-request-review.js";
import { pullRequestJobs } from "./handlers/pull-request.js";
import { rerequestedJobs } from "./handlers/rerequested.js";
import { inProcessJudge } from "./judge.js";
import { installationClient, type SharedLanes } from "./installation-client.js";
import type { JobQueue } from "./job-queue.js";
import { jobKey, type Job } from "./jobs.js";
import { jobRunner, type WorkerDeps } from "./run-job.js";
import { MalformedPayload } from "./webhook-server.js";

export interface AppOptions {
  state?: Partial<AppState>;
  /** Where deliveries are queued (default: an embedded queue of this process). */
  queue?: JobQueue;
  /** Whether this process also runs the queue's jobs (default true; false for a web process beside Redis workers). */
  work?: boolean;
  /** Redis for the throttling lanes, shared with the other processes. */
  shared?: SharedLanes;
}

/** What became of a delivery: its jobs queued (or absorbed by queued ones), a duplicate, or nothing meshgate acts on. */
export type DeliveryOutcome = "queued" | "duplicate" | "ignored";

export interface StartedApp {
  state: AppState;
  queue: JobQueue;
  /** The outcome of a delivery the handlers saw, taken (asked once, by the server answering it). */
  takeOutcome(id: string): DeliveryOutcome | undefined;
  /** What the worker side needs: running the queue's jobs with it is what `work` does. */
  worker: WorkerDeps;
}

/**
 * The GitHub App: which events re-evaluate the gate (DESIGN §7). A verified delivery becomes a
 * job on the queue and is answered at once; workers evaluate (DESIGN §7: the request path only
 * enqueues). The rule catalog is read, and the blob cache and the judge (with its render memo)
 * made, once, here, at startup, unless given; every evaluation of the process shares them.
 */
export function startApp(probot: Probot, options: AppOptions = {}): StartedApp {
  const state: AppState = {
    cache: options.state?.cache ?? new BlobCache(),
    judge: options.state?.judge ?? inProcessJudge(),
    catalog: options.state?.catalog ?? readCatalog(),
  };
  const queue = options.queue ?? new EmbeddedQueue();
  const outcomes = new Map<string, DeliveryOutcome>();
  const settle = (id: string, outcome: DeliveryOutcome): void => {
    outcomes.set(id, outcome);
    // Deliveries received without the server (tests) are never asked about: the oldest are forgotten.
    for (const oldest of outcomes.keys()) {
      if (outcomes.size <= 1000) break;
      outcomes.delete(oldest);
    }
  };

  // A delivery GitHub sends twice is queued once: one check run per event, one reply per command.
  const enqueueing =
    <C extends Pick<Context, "id" | "log" | "payload">>(jobsOf: (context: C) => Job[] | Promise<Job[]>) =>
    async (context: C): Promise<void> => {
      let jobs: Job[];
      try {
        jobs = await jobsOf(context);
      } catch (error) {
        // A payload the handlers cannot read (signed, so GitHub's or the secret holder's): refused, not a crash.
        throw new MalformedPayload(error instanceof Error ? error.message : String(error));
      }
      if (jobs.length === 0) {
        settle(context.id, "ignored");
        return;
      }
      if (!(await queue.claimDelivery(context.id))) {
        context.log.info(`meshgate ignored delivery ${context.id}: a duplicate of one already queued`);
        settle(context.id, "duplicate");
        return;
      }
      try {
        for (const job of jobs) {
          if (job.kind === "command" && !(await queue.allowCommand(commandBudgetKeys(job)))) {
            context.log.warn(`meshgate ignored a command from ${job.user} on ${jobKey(job)}: over the command rate limit`);
            continue;
          }
          // Known at once: a job still queued or running for the head this push replaced sees it.
          if (job.kind === "pull-request") await queue.ledger.supersede(jobKey(job), job.superseded);
          await queue.enqueue(job);
        }
        settle(context.id, "queued");
      } catch (error) {
        await queue.forgetDeliveries([context.id]);
        throw error;
      }
    };

  probot.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review", "pull_request.edited"],
    enqueueing((context) => pullRequestJobs(context)),
  );
  probot.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"], enqueueing((context) => pullRequestReviewJobs(context)));
  probot.on(["check_run.rerequested", "check_suite.rerequested"], enqueueing((context) => rerequestedJobs(context)));
  probot.on("merge_group.checks_requested", enqueueing((context) => mergeGroupJobs(context)));
  probot.on("issue_comment.created", enqueueing((context) => issueCommentJobs(context)));

  const takeOutcome = (id: string): DeliveryOutcome | undefined => {
    const outcome = outcomes.get(id);
    outcomes.delete(id);
    return outcome;
  };
  const worker: WorkerDeps = {
    state,
    queue,
    // Probot's log exists once it is initialised, which may be after the app is loaded.
    get log() {
      return probot.log;
    },
    clientFor: (installationId, client = {}) => installationClient({ probot, installationId, ...(options.shared ? { shared: options.shared } : {}), ...(client.mayWrite ? { mayWrite: client.mayWrite } : {}) }),
  };
  if (options.work !== false) queue.work(jobRunner(worker));
  return { state, queue, takeOutcome, worker };
}

/** The budgets a command takes from: its pull request's, and its author's in the installation. */
function commandBudgetKeys(job: Extract<Job, { kind: "command" }>): { prKey: string; userKey: string } {
  return { prKey: `${job.installationId}:${job.repo.owner}/${job.repo.repo}#${job.number}`.toLowerCase(), userKey: `${job.installationId}:${job.user}`.toLowerCase() };
}

/** The app as Probot loads it: `startApp` with an embedded queue. Tests may pass their own `state` and `queue`. */
export default function app(probot: Probot, options?: Partial<ApplicationFunctionOptions> & AppOptions): void {
  startApp(probot, options);
}
