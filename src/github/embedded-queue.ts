import { Deliveries } from "./deliveries.js";
import { FairLane } from "./fair-lane.js";
import type { JobQueue, JobRunner, OpenCheck, PullRequestLedger } from "./job-queue.js";
import { laneOf, type Job } from "./jobs.js";
import { COMMAND_RATES, TokenBuckets } from "./token-buckets.js";

/** Evaluations at once: each is mostly CPU (parsing and rendering) between its round trips. */
export const GATE_CONCURRENCY = 4;
/** Commands at once, beside the evaluations. */
export const COMMAND_CONCURRENCY = 2;
/** Pull requests the ledger remembers (least recently used forgotten first), and superseded heads per pull request. */
const LEDGER_PULL_REQUESTS = 10_000;
const SUPERSEDED_PER_PULL_REQUEST = 200;

/**
 * The queue of one process (no REDIS_URL): the semantics of the Redis one, in memory. What it
 * does not survive: a crash or a restart loses the queued jobs (GitHub's next event, or a
 * re-run, evaluates again; a check a crash left in progress is completed by the next evaluation
 * of its pull request), and a drain drops them.
 */
export class EmbeddedQueue implements JobQueue {
  readonly #lanes: Record<"gate" | "command", FairLane>;
  readonly #deliveries = new Deliveries();
  readonly #prBudget = new TokenBuckets(COMMAND_RATES.pullRequest);
  readonly #userBudget = new TokenBuckets(COMMAND_RATES.user);
  readonly #now: () => number;
  readonly ledger: PullRequestLedger;

  constructor(options: { gateConcurrency?: number; commandConcurrency?: number; now?: () => number } = {}) {
    this.#lanes = {
      gate: new FairLane({ concurrency: options.gateConcurrency ?? GATE_CONCURRENCY }),
      command: new FairLane({ concurrency: options.commandConcurrency ?? COMMAND_CONCURRENCY }),
    };
    this.#now = options.now ?? Date.now;
    this.ledger = new MemoryLedger();
  }

  enqueue(job: Job): Promise<"queued" | "coalesced"> {
    return Promise.resolve(this.#lanes[laneOf(job)].enqueue(job));
  }

  queued(key: string): Promise<Job | undefined> {
    return Promise.resolve(this.#lanes.gate.queued(key) ?? this.#lanes.command.queued(key));
  }

  claimDelivery(id: string): Promise<boolean> {
    return Promise.resolve(this.#deliveries.claim(id));
  }

  forgetDeliveries(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#deliveries.forget(id);
    return Promise.resolve();
  }

  allowCommand(params: { prKey: string; userKey: string }): Promise<boolean> {
    const now = this.#now();
    // Both or neither: a refused command takes nothing from either budget.
    const allowed = this.#prBudget.peek(params.prKey, now) && this.#userBudget.peek(params.userKey, now);
    if (allowed) {
      this.#prBudget.take(params.prKey, now);
      this.#userBudget.take(params.userKey, now);
    }
    return Promise.resolve(allowed);
  }

  work(runner: JobRunner): void {
    this.#lanes.gate.work(runner);
    this.#lanes.command.work(runner);
  }

  healthy(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async drain(graceMs: number): Promise<void> {
    await Promise.all([this.#lanes.gate.drain(graceMs, "complete"), this.#lanes.command.drain(graceMs, "complete")]);
  }

  /** Resolves once both lanes are empty and nothing runs. */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all([this.#lanes.gate.idle(), this.#lanes.command.idle()]);
      // A command may have queued an evaluation (/recheck) after the gate lane went idle.
      const { gate, command } = { gate: this.#lanes.gate.size, command: this.#lanes.command.size };
      if (gate.queued + gate.running + command.queued + command.running === 0) return;
    }
  }
}

class MemoryLedger implements PullRequestLedger {
  readonly #superseded = new Map<string, Set<string>>();
  readonly #open = new Map<string, OpenCheck>();

  supersede(key: string, shas: readonly string[]): Promise<void> {
    if (shas.length === 0) return Promise.resolve();
    const known = this.#superseded.get(key) ?? new Set<string>();
    this.#superseded.delete(key);
    for (const sha of shas) known.add(sha);
    for (const oldest of known) {
      if (known.size <= SUPERSEDED_PER_PULL_REQUEST) break;
      known.delete(oldest);
    }
    this.#superseded.set(key, known);
    for (const oldest of this.#superseded.keys()) {
      if (this.#superseded.size <= LEDGER_PULL_REQUESTS) break;
      this.#superseded.delete(oldest);
    }
    return Promise.resolve();
  }

  superseded(key: string, shas: readonly string[]): Promise<Set<string>> {
    const known = this.#superseded.get(key);
    return Promise.resolve(new Set(shas.filter((sha) => known?.has(sha) === true)));
  }

  takeOpenCheck(key: string): Promise<OpenCheck | undefined> {
    const check = this.#open.get(key);
    this.#open.delete(key);
    return Promise.resolve(check);
  }

  leaveOpenCheck(key: string, check: OpenCheck): Promise<void> {
    this.#open.set(key, check);
    return Promise.resolve();
  }

  openChecks(): Promise<OpenCheck[]> {
    const checks = [...this.#open.values()];
    this.#open.clear();
    return Promise.resolve(checks);
  }
}
