import type { JobControl, JobRunner, StopPolicy } from "./job-queue.js";
import { jobKey, mergeJobs, type Job } from "./jobs.js";

/**
 * One lane of the embedded queue: jobs by key (a queued job absorbs the next of its key), at
 * most `concurrency` running, one per key at a time, installations taken in turn (round robin),
 * so one busy installation waits behind itself, never in front of the others.
 */
export class FairLane {
  readonly #concurrency: number;
  readonly #queued = new Map<string, Job>();
  /** Queued keys per installation, oldest first; the map's order is the turn order. */
  readonly #turns = new Map<number, string[]>();
  readonly #running = new Map<string, { controller: AbortController; control: JobControl; done: Promise<void> }>();
  #runner: JobRunner | undefined;
  #stopping = false;
  #pumpScheduled = false;
  readonly #idle = new Set<() => void>();

  constructor(params: { concurrency: number }) {
    this.#concurrency = params.concurrency;
  }

  enqueue(job: Job): "queued" | "coalesced" {
    const key = jobKey(job);
    const queued = this.#queued.get(key);
    if (queued) {
      this.#queued.set(key, mergeJobs(queued, job));
      return "coalesced";
    }
    this.#queued.set(key, job);
    const keys = this.#turns.get(job.installationId) ?? [];
    keys.push(key);
    this.#turns.set(job.installationId, keys);
    this.#schedulePump();
    return "queued";
  }

  queued(key: string): Job | undefined {
    return this.#queued.get(key);
  }

  get size(): { queued: number; running: number } {
    return { queued: this.#queued.size, running: this.#running.size };
  }

  work(runner: JobRunner): void {
    this.#runner = runner;
    this.#schedulePump();
  }

  /** Resolves once nothing is queued or running (tests; the load script). */
  idle(): Promise<void> {
    if (this.#queued.size === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Takes no more jobs; gives running ones `graceMs`, then aborts them and waits for them to wind up. Queued jobs are dropped. */
  async drain(graceMs: number, onStop: StopPolicy): Promise<void> {
    this.#stopping = true;
    for (const { control } of this.#running.values()) control.onStop = onStop;
    const running = () => Promise.all([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"over">((resolve) => {
      timer = setTimeout(() => { resolve("over"); }, graceMs);
    });
    const ended = await Promise.race([running().then(() => "done" as const), graceOver]);
    clearTimeout(timer);
    if (ended === "over") {
      for (const { controller } of this.#running.values()) controller.abort();
      await running();
    }
  }

  /**
   * Starts jobs once the I/O callbacks in hand are done (setImmediate): the delivery that queued
   * a job, and the ones that arrived with it, are answered before the job's first synchronous
   * work runs, and a burst of deliveries is queued (and coalesced) before any of it starts.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    const runner = this.#runner;
    if (!runner || this.#stopping) return;
    while (this.#running.size < this.#concurrency) {
      const next = this.#next();
      if (!next) break;
      const [key, job] = next;
      const controller = new AbortController();
      const control: JobControl = { signal: controller.signal, onStop: "complete", retry: false };
      const done = runner(job, control)
        .catch(() => undefined)
        .finally(() => {
          this.#running.delete(key);
          this.#pump();
          if (this.#queued.size === 0 && this.#running.size === 0) {
            for (const resolve of this.#idle) resolve();
            this.#idle.clear();
          }
        });
      this.#running.set(key, { controller, control, done });
    }
  }

  /** The next job to start: the first installation in turn with a queued key not running; it moves to the back of the turns. */
  #next(): [string, Job] | undefined {
    for (const [installation, keys] of this.#turns) {
      const index = keys.findIndex((k) => !this.#running.has(k));
      if (index < 0) continue;
      const [key] = keys.splice(index, 1);
      this.#turns.delete(installation);
      if (keys.length > 0) this.#turns.set(installation, keys);
      if (key === undefined) continue;
      const job = this.#queued.get(key);
      this.#queued.delete(key);
      if (job) return [key, job];
    }
    return undefined;
  }
}
