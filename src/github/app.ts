import { createEventHandler, type EmitterWebhookEvent } from "@octokit/webhooks";
import type { ApplicationFunctionOptions, Probot } from "probot";
import { readCatalog } from "../cli/read-catalog.js";
import { BlobCache } from "./blob-cache.js";
import { repositoryOf, type DeliveryTools } from "./delivery.js";
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
  /**
   * Hands a verified delivery to the handlers, which queue its jobs: what the server calls. It
   * rejects with an AggregateError of the handlers' errors (a MalformedPayload among them for a
   * payload they cannot read). Probot's own `receive` reaches the same handlers.
   */
  receive(event: EmitterWebhookEvent): Promise<void>;
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

  // This app's id, read from its credentials the first time a handler asks (a re-run request).
  let appId: Promise<number | undefined> | undefined;
  const readAppId = async (): Promise<number | undefined> => {
    const octokit = await probot.auth();
    const auth: unknown = await octokit.auth({ type: "app" });
    return typeof auth === "object" && auth !== null && "appId" in auth && typeof auth.appId === "number" ? auth.appId : undefined;
  };
  // The handlers' router (@octokit/webhooks, as Probot's is), without Probot's per-event
  // installation client: handlers only queue jobs, so a delivery is answered without asking
  // GitHub for a token or building an Octokit.
  const handlers = createEventHandler<DeliveryTools>({
    // Probot's log exists once it is initialised, which may be after the app is loaded.
    log: { warn: (...args: unknown[]) => { probot.log.warn(args.map(String).join(" ")); }, error: (...args: unknown[]) => { probot.log.error(args.map(String).join(" ")); } },
    transform: (event) => ({
      ...event,
      log: probot.log.child({ name: "event", id: event.id }),
      repo: () => repositoryOf(event),
      // A failed read is not kept: the next request reads again.
      appId: () => (appId ??= readAppId().catch((error: unknown) => { appId = undefined; throw error; })),
    }),
  });

  // A delivery GitHub sends twice is queued once: one check run per event, one reply per command.
  const enqueueing =
    <C extends Pick<DeliveryTools, "log"> & { id: string }>(jobsOf: (context: C) => Job[] | Promise<Job[]>) =>
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

  handlers.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review", "pull_request.edited"],
    enqueueing((context) => pullRequestJobs(context)),
  );
  handlers.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"], enqueueing((context) => pullRequestReviewJobs(context)));
  handlers.on(["check_run.rerequested", "check_suite.rerequested"], enqueueing((context) => rerequestedJobs(context)));
  handlers.on("merge_group.checks_requested", enqueueing((context) => mergeGroupJobs(context)));
  handlers.on("issue_comment.created", enqueueing((context) => issueCommentJobs(context)));

  // Deliveries Probot receives (its own server, or tests driving it) reach the same handlers.
  probot.onAny(async (context) => {
    await handlers.receive({ id: context.id, name: context.name, payload: context.payload } as EmitterWebhookEvent);
  });

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
  return { state, queue, receive: (event) => handlers.receive(event), takeOutcome, worker };
}

/** The budgets a command takes from: its pull request's, and its author's in the installation. */
function commandBudgetKeys(job: Extract<Job, { kind: "command" }>): { prKey: string; userKey: string } {
  return { prKey: `${job.installationId}:${job.repo.owner}/${job.repo.repo}#${job.number}`.toLowerCase(), userKey: `${job.installationId}:${job.user}`.toLowerCase() };
}

/** The app as Probot loads it: `startApp` with an embedded queue. Tests may pass their own `state` and `queue`. */
export default function app(probot: Probot, options?: Partial<ApplicationFunctionOptions> & AppOptions): void {
  startApp(probot, options);
}
