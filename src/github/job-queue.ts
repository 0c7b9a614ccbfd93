import type { CheckRunOutput } from "../report/check-run.js";
import type { Job } from "./jobs.js";
import type { RepoRef } from "./target.js";

/** A check run an evaluation left in progress for the next evaluation of the same head, which was already queued. */
export interface OpenCheck {
  headSha: string;
  checkRunId: number;
  /** The verdict it would have been completed with: used if that head is superseded before the next evaluation. */
  output: CheckRunOutput;
  installationId: number;
  repo: RepoRef;
}

/** What the queue remembers of each pull request between its jobs. */
export interface PullRequestLedger {
  /** Records commits that are not the pull request's head any more. */
  supersede(key: string, shas: readonly string[]): Promise<void>;
  /** Which of `shas` are known superseded. */
  superseded(key: string, shas: readonly string[]): Promise<Set<string>>;
  /** The check run left open for this pull request, taken (the next taker gets none). */
  takeOpenCheck(key: string): Promise<OpenCheck | undefined>;
  leaveOpenCheck(key: string, check: OpenCheck): Promise<void>;
  /** Every check left open, taken. */
  openChecks(): Promise<OpenCheck[]>;
}

/** How a job was stopped: `complete` (its check says meshgate was stopped) or `leave` (the job goes back to the queue, and its check with it). */
export type StopPolicy = "complete" | "leave";

export interface JobControl {
  /** Aborted when the process must stop before the job ends. */
  signal: AbortSignal;
  onStop: StopPolicy;
  /**
   * True when the job's events were taken before by a run that never ended (a worker killed
   * mid-job): its check run may exist on GitHub without being on record, and is looked for there.
   */
  retry: boolean;
  /**
   * Asked right before each write to GitHub is sent (after every wait for a write slot): true
   * while this run still holds its pull request's lock (and then extends it). False once it does
   * not (a stall outlived the lock, and another worker may run the job): the write is withheld
   * and `signal` is aborted with a JobLost reason; the run then ends without writes and leaves
   * the job, its events and the ledger to the run that holds it. Absent where a run cannot lose
   * its job (the embedded queue).
   */
  mayWrite?: () => Promise<boolean>;
}

/** Runs one job to its end; never throws for a job's own failure (the check says what went wrong). */
export type JobRunner = (job: Job, control: JobControl) => Promise<void>;

/**
 * Where webhook deliveries wait to be evaluated, and what coalesces them: the embedded queue (one
 * process) or BullMQ on Redis (web and worker processes). The web side enqueues and answers
 * GitHub; the worker side runs jobs, one per key at a time, installations served fairly.
 */
export interface JobQueue {
  readonly ledger: PullRequestLedger;
  /** Queues `job`; a job already queued under its key absorbs it ("coalesced"). */
  enqueue(job: Job): Promise<"queued" | "coalesced">;
  /** The job queued (not running) under `key`, if any. */
  queued(key: string): Promise<Job | undefined>;
  /** Claims a delivery id; false when it was claimed before (a duplicate delivery). */
  claimDelivery(id: string): Promise<boolean>;
  /** Forgets deliveries, so that their redelivery is handled again. */
  forgetDeliveries(ids: readonly string[]): Promise<void>;
  /** Takes one command from the budgets of its pull request and of its author; false when either is spent. */
  allowCommand(params: { prKey: string; userKey: string }): Promise<boolean>;
  /** Starts running jobs with `runner`. */
  work(runner: JobRunner): void;
  /** Whether jobs can be queued (Redis answers). */
  healthy(): Promise<boolean>;
  /** Stops taking jobs; waits up to `graceMs` for running ones, then stops them (JobControl.signal). */
  drain(graceMs: number): Promise<void>;
}
