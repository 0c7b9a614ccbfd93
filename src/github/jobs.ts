import type { RepoRef } from "./target.js";

/** What a pull_request event says of the pull request at its head: enough to evaluate without fetching it. */
export interface KnownTarget {
  headSha: string;
  baseSha: string;
  author: string;
  commits: number;
}

interface JobBase {
  installationId: number;
  repo: RepoRef;
  /** The webhook deliveries (X-GitHub-Delivery) this job stands for: forgotten when it could not evaluate, so a redelivery is evaluated again. */
  deliveries: string[];
}

/**
 * Evaluate a pull request. Every event about it (a push, a review, a re-run, a base change)
 * becomes this one job, keyed by the pull request: a queued job absorbs the next event.
 */
export interface PullRequestJob extends JobBase {
  kind: "pull-request";
  number: number;
  /** The head commits the events name, in the order they arrived; the last one that is still the head is evaluated. */
  heads: string[];
  /** Commits the events say are not the head any more (a push's `before`). */
  superseded: string[];
  /** The pull request as the latest pull_request event gave it. */
  target?: KnownTarget;
}

/** Evaluate the rules on a merge group's head against its base. */
export interface MergeGroupJob extends JobBase {
  kind: "merge-group";
  headSha: string;
  baseSha: string;
}

/** "Re-run" on a commit whose pull requests the event did not list (a fork's): found by the worker. */
export interface RerunJob extends JobBase {
  kind: "rerun";
  headSha: string;
}

/** A command in a PR comment: answered on the command lane, never behind a gate evaluation. */
export interface CommandJob extends JobBase {
  kind: "command";
  number: number;
  commentId: number;
  user: string;
  body: string;
}

export type Job = PullRequestJob | MergeGroupJob | RerunJob | CommandJob;

/** The lane a job waits in: commands have their own, so a flood of them never delays a check. */
export type Lane = "gate" | "command";

export function laneOf(job: Job): Lane {
  return job.kind === "command" ? "command" : "gate";
}

/** The key jobs coalesce by: one queued job, and one running, per key. */
export function jobKey(job: Job): string {
  const repo = `${job.installationId}:${job.repo.owner}/${job.repo.repo}`.toLowerCase();
  switch (job.kind) {
    case "pull-request":
      return `${repo}#${job.number}`;
    case "merge-group":
      return `${repo}@merge-group:${job.headSha}`;
    case "rerun":
      return `${repo}@rerun:${job.headSha}`;
    case "command":
      return `${repo}#${job.number}/comment:${job.commentId}`;
  }
}

/** The job a queued one becomes when `next`, of the same key, arrives: the latest event wins, nothing is lost. */
export function mergeJobs(queued: Job, next: Job): Job {
  if (queued.kind !== "pull-request" || next.kind !== "pull-request") return { ...next, deliveries: union(queued.deliveries, next.deliveries) };
  const target = next.target ?? queued.target;
  return {
    ...next,
    deliveries: union(queued.deliveries, next.deliveries),
    // A head named again moves to the end: it is what the latest event is about.
    heads: [...queued.heads.filter((h) => !next.heads.includes(h)), ...next.heads],
    superseded: union(queued.superseded, next.superseded),
    ...(target ? { target } : {}),
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** The head a pull request job evaluates: the latest one named that is not known to be superseded; none when every one is. */
export function headToEvaluate(job: PullRequestJob, superseded: ReadonlySet<string>): string | undefined {
  return job.heads.filter((h) => !superseded.has(h) && !job.superseded.includes(h)).at(-1);
}
