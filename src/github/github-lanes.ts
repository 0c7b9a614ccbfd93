import Bottleneck from "bottleneck";

/**
 * Requests of one installation in flight at once. GitHub allows 100 (REST and GraphQL
 * together); Octokit's throttling plugin keeps 10, which makes a cold evaluation of a large
 * repository (20 blob queries and a few side calls) wait for a second and third wave of round
 * trips. 25 lets one evaluation's reads go out together and leaves GitHub's limit far away.
 */
export const CONCURRENT_REQUESTS = 25;

/**
 * Content-creating requests (check runs, comments, reactions) of one installation: a bucket of
 * CONTENT_BURST that refills by one every CONTENT_REFILL_MS. GitHub caps content creation at 80
 * requests a minute and asks for a second between mutating requests when there are many; one
 * evaluation makes three to five, which go at once, while a burst of evaluations is held to
 * one write a second.
 */
export const CONTENT_BURST = 10;
export const CONTENT_REFILL_MS = 1000;
/**
 * How long one write may hold its installation's content lane. Bottleneck's clustering frees a
 * job's slot only when its client says it ended or its `expiration` passes: a process killed
 * mid-write (SIGKILL, an out-of-memory kill) would otherwise hold the lane, shared through
 * Redis, for ever, and no write of that installation would go again.
 */
export const WRITE_EXPIRATION_MS = 20_000;

/**
 * GitHub's secondary limits on content creation, per installation: the budget the lanes keep
 * within. The per-minute cap is kept by the bucket above (CONTENT_BURST plus one a second is at
 * most 70 in any minute); the hourly cap by a second bucket a write passes first.
 */
export const CONTENT_BUDGET = { perMinute: 80, perHour: 500 } as const;
const HOUR_MS = 60 * 60 * 1000;

/**
 * The order writes waiting in an installation's lanes go in (Bottleneck: lower first). The gate
 * first: completing a check run (what a required check waits for), then the PR's comment and
 * command replies, then creating a check run for an evaluation that is only starting (until
 * then the required check reads "expected", which blocks merging the same way). Reads keep
 * Bottleneck's default, 5, behind every write: no write waits behind a read.
 */
export const WRITE_PRIORITY = { completeCheck: 0, comment: 1, other: 2, createCheck: 3, read: 5 } as const;

/** How long an idle installation's limiters are kept (the throttling plugin's own figure). */
const IDLE_MS = 2 * 60 * 1000;

export interface Lanes {
  /** The throttling plugin's per-installation concurrency (its `global` group). */
  global: Bottleneck.Group;
  /** The throttling plugin's `write` group, which paces nothing here: content creation is paced by `content` instead. */
  write: Bottleneck.Group;
  /** Content-creating requests, per installation. */
  content: Bottleneck.Group;
  /** The hourly budget: a write takes one from it, then waits its turn in `content` (see contentPacing). */
  hourly: Bottleneck.Group;
}

/** One set of lanes per Redis connection (undefined: this process alone), made once and shared by every client, as the plugin's own are. */
const lanesByConnection = new Map<Bottleneck.IORedisConnection | Bottleneck.RedisConnection | undefined, Lanes>();

/**
 * The lanes of every meshgate client. With `connection` (Probot's Redis, when several app
 * processes run) an installation's concurrency and content budget are shared across them.
 */
export function lanesFor(params: { Bottleneck?: typeof Bottleneck; connection?: Bottleneck.IORedisConnection | Bottleneck.RedisConnection }): Lanes {
  const existing = lanesByConnection.get(params.connection);
  if (existing) return existing;
  const Limiter = params.Bottleneck ?? Bottleneck;
  const shared = { timeout: IDLE_MS, ...(params.connection ? { connection: params.connection } : {}) };
  const hourly = new Limiter.Group({
    id: "meshgate-content-hourly",
    reservoir: CONTENT_BUDGET.perHour,
    reservoirRefreshAmount: CONTENT_BUDGET.perHour,
    reservoirRefreshInterval: HOUR_MS,
    // An hour's budget outlives the plugin's idle timeout.
    ...shared,
    timeout: HOUR_MS,
  });
  const content = new Limiter.Group({
    id: "meshgate-content",
    maxConcurrent: 1,
    reservoir: CONTENT_BURST,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: CONTENT_REFILL_MS,
    reservoirIncreaseMaximum: CONTENT_BURST,
    ...shared,
  });
  const lanes: Lanes = {
    global: prioritised(new Limiter.Group({ id: "meshgate-global", maxConcurrent: CONCURRENT_REQUESTS, ...shared })),
    write: UNPACED,
    content,
    hourly,
  };
  lanesByConnection.set(params.connection, lanes);
  return lanes;
}

/**
 * The `write` lane, passing every request straight through. The plugin only ever calls
 * `write.key(id).schedule(options, task)` and awaits it; a Bottleneck group that limits nothing
 * would still queue each job through its locks (a few milliseconds each, one job after the
 * other), which spreads an evaluation's parallel blob queries over tens of milliseconds.
 */
const UNPACED = {
  key: () => ({ schedule: <R>(_options: Bottleneck.JobOptions, task: () => PromiseLike<R>): Promise<R> => Promise.resolve(task()) }),
} as unknown as Bottleneck.Group;

/**
 * The plugin's `global` lane with each request's WRITE_PRIORITY: the plugin schedules
 * `(jobOptions, request, options)` there, so a write already paced by the content lane is not
 * queued behind an evaluation's reads for its slot in flight. A retry keeps the plugin's own priority.
 */
function prioritised(group: Bottleneck.Group): Bottleneck.Group {
  const keyed = (id?: string): Bottleneck => {
    const limiter = group.key(id ?? "");
    const schedule = limiter.schedule.bind(limiter) as (options: Bottleneck.JobOptions, task: (...args: unknown[]) => PromiseLike<unknown>, ...args: unknown[]) => Promise<unknown>;
    const prioritisedSchedule = (options: Bottleneck.JobOptions, task: (...args: unknown[]) => PromiseLike<unknown>, ...args: unknown[]): Promise<unknown> =>
      schedule({ ...options, priority: options.priority ?? writePriority(args[0] as RequestOptions) }, task, ...args);
    return new Proxy(limiter, { get: (target, name, receiver) => (name === "schedule" ? prioritisedSchedule : Reflect.get(target, name, receiver)) as unknown });
  };
  return new Proxy(group, { get: (target, name, receiver) => (name === "key" ? keyed : Reflect.get(target, name, receiver)) as unknown });
}

/** A request's place in its installation's lanes (WRITE_PRIORITY). */
export function writePriority(options: RequestOptions): number {
  if (!createsContent(options)) return WRITE_PRIORITY.read;
  const method = (options.method ?? "GET").toUpperCase();
  // The URL as the client has it: a template ("/repos/{owner}/…") or a path, without its query.
  const path = (options.url ?? "/").replace(/^https?:\/\/[^/]+/, "").split("?")[0]?.replace(/^\/api\/v3/, "") ?? "/";
  if (/\/check-runs\/[^/]+$/.test(path) && method === "PATCH") return WRITE_PRIORITY.completeCheck;
  if (/\/check-runs$/.test(path) && method === "POST") return WRITE_PRIORITY.createCheck;
  if (/\/issues\/(\d+|\{issue_number\})\/comments$|\/issues\/comments\/[^/]+$/.test(path)) return WRITE_PRIORITY.comment;
  return WRITE_PRIORITY.other;
}

interface RequestOptions {
  method?: string;
  url?: string;
  query?: unknown;
}

/**
 * Whether a request creates content in GitHub's sense: a REST POST, PATCH, PUT or DELETE, or a
 * GraphQL mutation. A GraphQL query is a read (GitHub charges it as one, not as a write),
 * though it is POSTed; an installation token request is authentication, not content.
 */
export function createsContent(options: RequestOptions): boolean {
  const method = (options.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const path = new URL(options.url ?? "/", "http://github.invalid").pathname;
  if (/^(\/api)?\/graphql$/.test(path)) return typeof options.query !== "string" || !isQueryDocument(options.query);
  return !/^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}

/** A document whose every operation is a query (`query …` or a bare selection set `{ … }`), comments aside. */
function isQueryDocument(query: string): boolean {
  const code = query.replace(/#[^\n]*/g, "");
  return /^\s*(query\b|\{)/.test(code) && !/(^|\})\s*(mutation|subscription)\b/.test(code);
}
