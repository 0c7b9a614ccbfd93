import { randomUUID } from "node:crypto";
import Bottleneck from "bottleneck";
import { DelayedError, Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "probot";
import { JobLost } from "./guarded-fetch.js";
import type { JobControl, JobQueue, JobRunner, OpenCheck, PullRequestLedger } from "./job-queue.js";
import { jobKey, laneOf, mergeJobs, type Job, type Lane } from "./jobs.js";
import { COMMAND_RATES } from "./token-buckets.js";
import { COMMAND_CONCURRENCY, GATE_CONCURRENCY } from "./embedded-queue.js";

const PREFIX = "meshgate";
/** Deliveries are remembered a day: GitHub redelivers on request only, within days. */
const DELIVERY_TTL_S = 24 * 60 * 60;
/** What the ledger remembers of a pull request: a week since its last event. */
const LEDGER_TTL_S = 7 * 24 * 60 * 60;
/** How long a worker holds a job (and its pull request's lock) without renewing it before others take it as stalled. */
export const DEFAULT_JOB_LOCK_MS = 30_000;
/** When a pull request's lock is held by another worker, the ticket waits this long and tries again. */
const BUSY_RETRY_MS = 250;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Moves the waiting events of a key to its taken list (kept until the job ends, so a retry after
 * a crash finds them) and returns how many were already taken (not 0: a run of them never ended),
 * then the taken list.
 */
const TAKE = `
local before = redis.call('LLEN', KEYS[2])
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do redis.call('RPUSH', KEYS[2], item) end
redis.call('DEL', KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
local taken = redis.call('LRANGE', KEYS[2], 0, -1)
table.insert(taken, 1, before)
return taken
`;
/** Deletes a lock only if it is still this holder's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/**
 * Ends a job that ran to its end: its taken events are deleted unless another run holds the
 * pull request now (they are that run's), and the lock is released if it is still this holder's.
 */
const FINISH = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] or not owner then redis.call('DEL', KEYS[2]) end
if owner == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`;

interface Ticket {
  key: string;
  installationId: number;
}

/**
 * The queue beyond one process: BullMQ on Redis. An event is pushed to its key's list and a
 * ticket (a BullMQ job) is added; the worker that runs a ticket takes the key's lock, then every
 * event waiting under the key, merged into one job (so three pushes queued make one evaluation),
 * and a ticket that finds none has been coalesced into an earlier one. Events stay in Redis
 * until their job ends: a worker killed mid-job is found stalled by BullMQ, its lock expires, and
 * the retry takes them again. Tickets are prioritised by their installation's backlog, so a busy
 * installation waits behind itself. Deliveries, command budgets and the ledger live in Redis too,
 * shared by every web and worker process.
 *
 * A run whose lock expired while it ran (a stall longer than the lock: a blocked event loop, a
 * long GC, a slow Redis) has lost its job to whichever worker BullMQ hands the stalled ticket:
 * each of its writes asks first (JobControl.mayWrite), and is withheld once the lock is
 * another's, so the job's check run is made and completed by one run only.
 */
export class RedisQueue implements JobQueue {
  readonly #redis: Redis;
  readonly #queues: Record<Lane, Queue>;
  readonly #workers: Worker[] = [];
  readonly #running = new Map<string, { controller: AbortController; control: JobControl }>();
  readonly #log: Logger;
  readonly #lockMs: number;
  readonly #token = randomUUID();
  readonly ledger: PullRequestLedger;
  readonly bottleneckConnection: Bottleneck.IORedisConnection;

  private constructor(params: { redis: Redis; log: Logger; lockMs: number }) {
    this.#redis = params.redis;
    this.#log = params.log;
    this.#lockMs = params.lockMs;
    const connection = params.redis;
    this.#queues = { gate: new Queue(`${PREFIX}-gate`, { connection }), command: new Queue(`${PREFIX}-command`, { connection }) };
    this.ledger = new RedisLedger(params.redis);
    // The throttling lanes as Probot shares them through REDIS_URL: Bottleneck's clustering on the same server.
    // Its own connection, not lazy: Bottleneck subscribes on a duplicate of it and waits for that
    // one to be ready, which a lazy client's duplicate never is (every write would hang).
    this.bottleneckConnection = new Bottleneck.IORedisConnection({ client: params.redis.duplicate({ lazyConnect: false }) });
    this.bottleneckConnection.on("error", (error: Error) => {
      params.log.error({ err: error }, "meshgate's rate-limit lanes lost Redis");
    });
  }

  /** Connects to `url` and checks that Redis answers (bounded): an unreachable REDIS_URL refuses to start. */
  static async connect(params: { url: string; log: Logger; role: "web" | "worker"; lockMs?: number }): Promise<RedisQueue> {
    const redis = new Redis(params.url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, enableOfflineQueue: true });
    redis.on("error", (error: Error) => {
      params.log.error({ err: error }, "meshgate lost Redis");
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.connect().then(() => redis.ping()),
        new Promise((_, reject) => {
          timer = setTimeout(() => { reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)); }, CONNECT_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      redis.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const lockMs = params.lockMs ?? lockMsOf(process.env.MESHGATE_JOB_LOCK_MS);
    return new RedisQueue({ redis, log: params.log, lockMs });
  }

  async enqueue(job: Job): Promise<"queued" | "coalesced"> {
    const key = jobKey(job);
    const events = `${PREFIX}:events:${key}`;
    const [[, length], , [, backlog]] = (await this.#redis.multi().rpush(events, JSON.stringify(job)).pexpire(events, LEDGER_TTL_S * 1000).incr(backlogKey(job.installationId)).exec()) as [[null, number], unknown, [null, number]];
    const ticket: Ticket = { key, installationId: job.installationId };
    // Priority 1 and up (0 would be "none", ahead of every prioritised job): an installation's own backlog.
    await this.#queues[laneOf(job)].add("ticket", ticket, { jobId: randomUUID(), priority: Math.min(2_097_151, Math.max(1, backlog)), removeOnComplete: true, removeOnFail: 1000 });
    return length > 1 ? "coalesced" : "queued";
  }

  async queued(key: string): Promise<Job | undefined> {
    const items = await this.#redis.lrange(`${PREFIX}:events:${key}`, 0, -1);
    return mergedJob(items);
  }

  async claimDelivery(id: string): Promise<boolean> {
    return (await this.#redis.set(`${PREFIX}:delivery:${id}`, "1", "EX", DELIVERY_TTL_S, "NX")) === "OK";
  }

  async forgetDeliveries(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.#redis.del(...ids.map((id) => `${PREFIX}:delivery:${id}`));
  }

  /** Fixed windows (the rates' burst per burst × refill): simpler than buckets across processes, and as bounded. */
  async allowCommand(params: { prKey: string; userKey: string }): Promise<boolean> {
    const windows = [
      { key: `${PREFIX}:budget:pr:${params.prKey}`, rate: COMMAND_RATES.pullRequest },
      { key: `${PREFIX}:budget:user:${params.userKey}`, rate: COMMAND_RATES.user },
    ];
    const multi = this.#redis.multi();
    for (const w of windows) multi.incr(w.key).pexpire(w.key, w.rate.burst * w.rate.refillMs, "NX");
    const results = (await multi.exec()) ?? [];
    const counts = windows.map((_, i) => Number(results[i * 2]?.[1]));
    const allowed = counts.every((count, i) => count <= (windows[i]?.rate.burst ?? 0));
    if (!allowed) await Promise.all(windows.map((w) => this.#redis.decr(w.key)));
    return allowed;
  }

  work(runner: JobRunner): void {
    const concurrency: Record<Lane, number> = { gate: GATE_CONCURRENCY, command: COMMAND_CONCURRENCY };
    for (const lane of ["gate", "command"] as const) {
      const worker = new Worker<Ticket>(`${PREFIX}-${lane}`, (ticket, token) => this.#process({ ticket, token, runner }), {
        connection: this.#redis.duplicate(),
        concurrency: concurrency[lane],
        lockDuration: this.#lockMs,
        stalledInterval: Math.max(1_000, Math.round(this.#lockMs / 2)),
        maxStalledCount: 3,
      });
      worker.on("error", (error) => {
        // BullMQ reports each failed renewal of a ticket's lock (a stall outlived it) as an error;
        // what matters is the pull request's lock, which decides whether the run may still write.
        if (/^could not renew lock for job/.test(error.message)) this.#log.warn(`meshgate's worker: BullMQ ${error.message}`);
        else this.#log.error({ err: error }, "meshgate's worker lost Redis");
      });
      this.#workers.push(worker);
    }
  }

  async #process(params: { ticket: BullJob<Ticket>; token: string | undefined; runner: JobRunner }): Promise<void> {
    const { ticket, token, runner } = params;
    const { key, installationId } = ticket.data;
    const lock = `${PREFIX}:lock:${key}`;
    // One holder per run, not per ticket: a ticket found stalled may come back to this very
    // process, and the run that lost it must not take the new run's lock for its own.
    const holder = `${this.#token}:${ticket.id ?? ""}:${randomUUID()}`;
    if ((await this.#redis.set(lock, holder, "PX", this.#lockMs, "NX")) !== "OK") {
      // Another worker runs this pull request: one evaluation per pull request at a time.
      await ticket.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    const controller = new AbortController();
    const run = { lost: false };
    const lost = (): boolean => run.lost;
    /** Extends the pull request's lock; once it is not this holder's, the run has lost its job (for good). */
    const renew = async (): Promise<boolean> => {
      if (lost()) return false;
      const renewed = Number(await this.#redis.eval(RENEW, 1, lock, holder, String(this.#lockMs))) === 1;
      if (!renewed && !lost()) {
        run.lost = true;
        // A drain may have aborted the run first: its writes are withheld all the same (JobLost from the client).
        controller.abort(new JobLost(`meshgate's lock on ${key} expired: another worker may run the job`));
      }
      return !lost();
    };
    const mayWrite = async (): Promise<boolean> => {
      const [holds] = await Promise.all([
        renew(),
        // BullMQ's lock on the ticket too, so that it is not found stalled and handed to another
        // worker while this run writes. It decides nothing: the pull request's lock does (a ticket
        // taken elsewhere waits for that lock, see above).
        token !== undefined ? ticket.extendLock(token, this.#lockMs).catch(() => 0) : Promise.resolve(0),
      ]);
      return holds;
    };
    const renewing = setInterval(() => {
      void renew().catch(() => undefined);
    }, Math.max(250, Math.round(this.#lockMs / 3)));
    const taken = `${PREFIX}:taken:${key}`;
    // A ticket that goes back to the queue, or to the run that took the job over, keeps its place in the backlog.
    let handedOn = false;
    try {
      const [before, ...items] = (await this.#redis.eval(TAKE, 2, `${PREFIX}:events:${key}`, taken, String(LEDGER_TTL_S * 1000))) as [number, ...string[]];
      const job = mergedJob(items);
      // No events left: an earlier ticket of this key took them (coalesced).
      if (!job) return;
      const control: JobControl = { signal: controller.signal, onStop: "leave", retry: before > 0, mayWrite };
      this.#running.set(holder, { controller, control });
      try {
        await runner(job, control);
      } finally {
        this.#running.delete(holder);
      }
      if (lost()) {
        // The job is another run's now (or will be, once BullMQ finds the ticket stalled): its
        // events, its taken list and its ticket are left as they are. DelayedError is how a
        // processor tells BullMQ the ticket is not its to finish.
        this.#log.warn(`meshgate left job ${key} to the worker that holds it now: this run's lock expired while it ran, and its writes since were withheld`);
        handedOn = true;
        throw new DelayedError();
      }
      if (controller.signal.aborted) {
        // Stopped mid-job: its events stay taken, and the ticket goes back to the queue for another worker.
        handedOn = true;
        await ticket.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      await this.#redis.eval(FINISH, 2, lock, taken, holder);
    } finally {
      clearInterval(renewing);
      await this.#redis.eval(RELEASE, 1, lock, holder).catch(() => undefined);
      if (!handedOn) await this.#redis.decr(backlogKey(installationId)).catch(() => undefined);
    }
  }

  async healthy(): Promise<boolean> {
    const answer = await Promise.race([this.#redis.ping().catch(() => "down"), new Promise<string>((resolve) => setTimeout(() => { resolve("slow"); }, 2_000).unref())]);
    return answer === "PONG";
  }

  /** Stops taking tickets; running jobs get `graceMs`, then are stopped and go back to the queue with their checks. */
  async drain(graceMs: number): Promise<void> {
    const closing = Promise.all(this.#workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const over = new Promise<"over">((resolve) => {
      timer = setTimeout(() => { resolve("over"); }, graceMs);
    });
    if ((await Promise.race([closing.then(() => "closed" as const), over])) === "over") {
      for (const { controller } of this.#running.values()) controller.abort();
    }
    clearTimeout(timer);
    await closing;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#queues).map((q) => q.close()));
    await this.bottleneckConnection.disconnect(false).catch(() => undefined);
    this.#redis.disconnect();
  }
}

function backlogKey(installationId: number): string {
  return `${PREFIX}:backlog:${installationId}`;
}

function mergedJob(items: readonly string[]): Job | undefined {
  const jobs = items.map((item) => JSON.parse(item) as Job);
  const [first, ...rest] = jobs;
  return first ? rest.reduce(mergeJobs, first) : undefined;
}

function lockMsOf(value: string | undefined): number {
  return value !== undefined && /^\d+$/.test(value) && Number(value) >= 1_000 ? Number(value) : DEFAULT_JOB_LOCK_MS;
}

class RedisLedger implements PullRequestLedger {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async supersede(key: string, shas: readonly string[]): Promise<void> {
    if (shas.length === 0) return;
    const set = `${PREFIX}:superseded:${key}`;
    await this.#redis.multi().sadd(set, ...shas).expire(set, LEDGER_TTL_S).exec();
  }

  async superseded(key: string, shas: readonly string[]): Promise<Set<string>> {
    if (shas.length === 0) return new Set();
    const members = await this.#redis.smismember(`${PREFIX}:superseded:${key}`, ...shas);
    return new Set(shas.filter((_, i) => members[i] === 1));
  }

  async takeOpenCheck(key: string): Promise<OpenCheck | undefined> {
    const results = await this.#redis.multi().hget(`${PREFIX}:open`, key).hdel(`${PREFIX}:open`, key).exec();
    const value = results?.[0]?.[1];
    return typeof value === "string" ? (JSON.parse(value) as OpenCheck) : undefined;
  }

  async leaveOpenCheck(key: string, check: OpenCheck): Promise<void> {
    await this.#redis.hset(`${PREFIX}:open`, key, JSON.stringify(check));
  }

  /** None to hand over: with Redis, a stopped job's check stays with its job, which another worker runs. */
  openChecks(): Promise<OpenCheck[]> {
    return Promise.resolve([]);
  }
}
