import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lanesFor } from "../../src/github/github-lanes.js";
import { AppHarness, ensureBuilt } from "../../tools/app-harness.js";
import { createShopRepository, pullRequestOpened, startGitHubStandIn, type GitHubStandIn, type ScratchRepository } from "../../tools/github-stand-in/index.js";
import { SHOP_PEOPLE, setUpShopPeople } from "../../tools/shop-scenario.js";
import { redisAvailable, startRedis, type RedisServer } from "../support/redis.js";
import { withLocalServers } from "../stand-in/support.js";

// BullMQ on a real redis-server: the web process (`npm start` with REDIS_URL) queues, `npm run
// worker` processes evaluate, against the GitHub stand-in.
withLocalServers();
const TIMEOUT_MS = 90_000;
/**
 * Where a test kills a worker, stalled jobs are found within a couple of seconds, not BullMQ's
 * default 30. Elsewhere the lock is long enough that a loaded machine's late renewal is not
 * taken for a stalled worker.
 */
const STALL_LOCK_MS = "2000";
const STEADY_LOCK_MS = "20000";

interface World {
  repository: ScratchRepository;
  standIn: GitHubStandIn;
  redis: RedisServer;
  /** A client of that Redis, to look at what the processes keep there. */
  redisClient: Redis;
  processes: AppHarness[];
  /** Starts a web (server) or worker process on this world's stand-in and Redis. */
  start(script: "server" | "worker"): Promise<AppHarness>;
  /** A pull request on its own branch (`pr` and one commit), with its own head sha. */
  pull(number: number): Promise<string>;
}

async function withWorld(test: (world: World) => Promise<void>, options: { lockMs: string } = { lockMs: STEADY_LOCK_MS }): Promise<void> {
  const repository = await createShopRepository();
  const standIn = await startGitHubStandIn({ repository: repository.dir });
  setUpShopPeople(standIn);
  const redis = await startRedis();
  const redisClient = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  const processes: AppHarness[] = [];
  const world: World = {
    repository,
    standIn,
    redis,
    redisClient,
    processes,
    start: async (script) => {
      const harness = await AppHarness.start({ standIn, script, logLevel: "info", env: { REDIS_URL: redis.url, MESHGATE_JOB_LOCK_MS: options.lockMs, MESHGATE_DRAIN_MS: "500" } });
      processes.push(harness);
      return harness;
    },
    pull: async (number) => {
      // A commit of its own on `pr`'s change: every pull request has its own head sha.
      const sha = await repository.commit({ branch: `pr-${number}`, from: "pr", files: { "README.md": `pull request ${number}\n` }, message: `pull request ${number}` });
      standIn.addPullRequest({ number, base: "main", head: `pr-${number}`, author: SHOP_PEOPLE.author });
      return sha;
    },
  };
  try {
    await test(world);
  } catch (error) {
    for (const p of processes) if (p.logs !== "") console.error(`a process's log:\n${p.logs.split("\n").slice(-30).join("\n")}`);
    throw error;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await standIn.close();
    redisClient.disconnect();
    await redis.stop();
    await repository.remove();
  }
}

/** Polls an asynchronous condition until it holds; past `timeoutMs`, fails naming it. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The installation every stand-in pull request is of (throttling lanes are keyed by it). */
const INSTALLATION = "1000001";

/**
 * Takes the installation's write slot (the content lane, one write at a time, shared through
 * Redis as the processes share it) from this test, and holds it until `release`: a write of
 * any process waits for it meanwhile.
 */
async function holdWriteSlot(url: string): Promise<{ release: () => Promise<void> }> {
  const connection = new Bottleneck.IORedisConnection({ client: new Redis(url) });
  const lanes = lanesFor({ Bottleneck, connection });
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let done: Promise<void> = Promise.resolve();
  await new Promise<void>((taken) => {
    done = lanes.content.key(INSTALLATION).schedule({ priority: 0 }, () => {
      taken();
      return held;
    });
  });
  let released: Promise<void> | undefined;
  return {
    release: () =>
      (released ??= (async () => {
        release();
        await done;
        await connection.disconnect(false);
      })()),
  };
}

/** Writes of every process waiting for the installation's write slot (Bottleneck keeps the count of each client in Redis). */
async function writesWaiting(redis: Redis): Promise<number> {
  const counts = await redis.hvals(`b_meshgate-content-${INSTALLATION}_client_num_queued`);
  return counts.reduce((sum, n) => sum + Number(n), 0);
}

describe.runIf(redisAvailable())("BullMQ on Redis", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);
  afterAll(() => undefined);

  it("two workers share the queue: every pull request gets one completed check, and both workers evaluate", { timeout: TIMEOUT_MS }, () =>
    withWorld(async (world) => {
      const { standIn } = world;
      const web = await world.start("server");
      const workers = [await world.start("worker"), await world.start("worker")];
      // Each evaluation waits on its blob reads, so one worker cannot take them all at once.
      standIn.inject("POST /graphql", { kind: "latency", ms: 400 });
      const pulls = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
      const heads: string[] = [];
      for (const n of pulls) heads.push(await world.pull(n));
      const answers = await Promise.all(pulls.map(async (n) => web.deliver("pull_request.opened", await pullRequestOpened(standIn, n))));
      expect(answers.map((a) => a.body)).toEqual(pulls.map(() => "queued\n"));
      for (const head of heads) await web.waitForCheck({ sha: head, timeoutMs: 60_000 });

      for (const head of heads) expect(standIn.checkRuns.filter((r) => r.headSha === head).map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
      // A job logs once it has also written its comment, after its check completed.
      const ranJobs = (): number[] => workers.map((w) => (w.logs.match(/meshgate ran job/g) ?? []).length);
      await web.waitFor("every job ended", () => (ranJobs().reduce((a, b) => a + b, 0) >= pulls.length ? true : undefined), 30_000);
      const ran = ranJobs();
      expect(ran.reduce((a, b) => a + b, 0)).toBe(pulls.length);
      expect(ran.every((n) => n > 0)).toBe(true);
      // The web process queued; it evaluated nothing.
      expect(web.logs).not.toContain("meshgate ran job");
    }),
  );

  it("a worker killed with SIGKILL mid-job: the job is found stalled, retried by another worker, and the check completes", { timeout: TIMEOUT_MS + 60_000 }, () =>
    withWorld(async (world) => {
      const { standIn } = world;
      const web = await world.start("server");
      const doomed = await world.start("worker");
      const head = await world.pull(21);
      // The first blob query never answers: the worker is mid-evaluation, its check in progress.
      standIn.inject("POST /graphql", { kind: "hang", times: 1, ms: 60_000 });
      await web.deliver("pull_request.opened", await pullRequestOpened(standIn, 21));
      await web.waitFor("the check run in progress", () => (standIn.checkRuns.some((r) => r.headSha === head && r.status === "in_progress") ? true : undefined), 30_000);
      // Killed once the check is on record in Redis (a moment after GitHub has it), as a worker stuck on a slow read would be.
      await until("the open check on record", async () => (await world.redisClient.hexists("meshgate:open", "1000001:acme/shop#21")) === 1, 30_000);
      await doomed.kill();

      await world.start("worker");
      // Within the lock's expiry, then the killed worker's write slot's (WRITE_EXPIRATION_MS).
      const run = await web.waitForCheck({ sha: head, timeoutMs: 90_000 });
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(run.output.title).toContain("1 blocking finding");
      // The retry completed the check the killed worker had started: none is left in progress.
      expect(standIn.checkRuns.map((r) => [r.headSha, r.status])).toEqual([[head, "completed"]]);
    }, { lockMs: STALL_LOCK_MS }),
  );

  it("a worker killed between creating its check run and putting it on record: the retry reuses that check run, completed, and creates none", { timeout: TIMEOUT_MS + 60_000 }, () =>
    withWorld(async (world) => {
      const { standIn } = world;
      const web = await world.start("server");
      const doomed = await world.start("worker");
      const head = await world.pull(23);
      // GitHub creates the check run, but its answer never reaches the worker: the worker is stuck
      // after the creation and before the ledger write, as one killed in that window would be.
      standIn.inject("POST /repos/{owner}/{repo}/check-runs", { kind: "lost-answer", times: 1, ms: 60_000 });
      await web.deliver("pull_request.opened", await pullRequestOpened(standIn, 23));
      await web.waitFor("the check run created", () => (standIn.checkRuns.some((r) => r.headSha === head) ? true : undefined), 30_000);
      // In the window: GitHub has the check, the ledger does not.
      expect(await world.redisClient.hexists("meshgate:open", "1000001:acme/shop#23")).toBe(0);
      await doomed.kill();

      await world.start("worker");
      const run = await web.waitForCheck({ sha: head, timeoutMs: 90_000 });
      expect(run).toMatchObject({ status: "completed", conclusion: "failure", externalId: `1000001:acme/shop#23@${head}` });
      expect(standIn.checkRuns.map((r) => [r.headSha, r.status])).toEqual([[head, "completed"]]);
      // The retry asked GitHub for the check it had left, once.
      expect(standIn.calls.filter((c) => c.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs")).toHaveLength(1);
    }, { lockMs: STALL_LOCK_MS }),
  );

  it("a worker whose locks expire while its check run's creation waits for the write slot makes no write: the worker that holds the job makes the one check run", { timeout: TIMEOUT_MS + 60_000 }, () =>
    withWorld(async (world) => {
      const { standIn, redisClient } = world;
      const key = `${INSTALLATION}:acme/shop#24`;
      const lock = `meshgate:lock:${key}`;
      const web = await world.start("server");
      const first = await world.start("worker");
      const firstPid = first.pid;
      if (firstPid === undefined) throw new Error("the first worker has no pid");
      const head = await world.pull(24);
      const slot = await holdWriteSlot(world.redis.url);
      let stopped = false;
      try {
        await web.deliver("pull_request.opened", await pullRequestOpened(standIn, 24));
        await until("the first worker's check run creation waiting for the write slot", async () => (await writesWaiting(redisClient)) >= 1, 30_000);
        const firstHolder = await redisClient.get(lock);
        expect(firstHolder).not.toBeNull();
        // Held up at the end, so that the job is still the second worker's when the first one leaves it.
        standIn.inject("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { kind: "hang", times: 1, ms: 5_000 });
        const second = await world.start("worker");
        // A stall longer than the locks (as a blocked event loop or a long GC would be): nothing of
        // the first worker runs, its locks expire, BullMQ finds its ticket stalled, and the second
        // worker takes the job, looks for a check run the first may have made, finds none.
        process.kill(firstPid, "SIGSTOP");
        stopped = true;
        await until("the second worker holding the pull request", async () => ![null, firstHolder].includes(await redisClient.get(lock)), 60_000);
        await until("the retry looking for the first worker's check run", () => Promise.resolve(standIn.calls.some((c) => c.route === "GET /repos/{owner}/{repo}/commits/{ref}/check-runs")), 30_000);
        process.kill(firstPid, "SIGCONT");
        stopped = false;
        // No write got out while the slot was held; now the creation the first worker queued before its stall gets it.
        expect(standIn.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(0);
        await slot.release();

        await first.waitFor("the first worker leaving the job", () => (first.logs.includes(`meshgate left job ${key}`) ? true : undefined), 60_000);
        // It left the job's events and the lock to the second worker, which still runs it.
        expect(second.logs).not.toContain(`meshgate ran job ${key}`);
        expect(await redisClient.llen(`meshgate:taken:${key}`)).toBeGreaterThan(0);
        expect([null, firstHolder]).not.toContain(await redisClient.get(lock));

        const run = await web.waitForCheck({ sha: head, timeoutMs: 60_000 });
        expect(run).toMatchObject({ status: "completed", conclusion: "failure", externalId: `${key}@${head}` });
        await second.waitFor("the second worker ending the job", () => (second.logs.includes(`meshgate ran job ${key}`) ? true : undefined), 30_000);
        // One check run on the head, created once (by the second worker: the first one's creation was withheld), completed.
        expect(standIn.checkRuns.map((r) => [r.headSha, r.status])).toEqual([[head, "completed"]]);
        expect(standIn.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/check-runs")).toHaveLength(1);
        expect(first.logs).not.toContain(`meshgate ran job ${key}`);
      } finally {
        if (stopped) process.kill(firstPid, "SIGCONT");
        await slot.release();
      }
    }, { lockMs: STALL_LOCK_MS }),
  );

  it("a duplicate delivery reaching two web processes makes one check run", { timeout: TIMEOUT_MS }, () =>
    withWorld(async (world) => {
      const { standIn } = world;
      const [webA, webB] = [await world.start("server"), await world.start("server")];
      await world.start("worker");
      const head = await world.pull(22);
      const payload = await pullRequestOpened(standIn, 22);
      const answers = await Promise.all([webA.deliver("pull_request.opened", payload, { id: "shared-delivery" }), webB.deliver("pull_request.opened", payload, { id: "shared-delivery" })]);
      expect(answers.map((a) => a.body).sort()).toEqual(["duplicate\n", "queued\n"]);
      await webA.waitForCheck({ sha: head, timeoutMs: 60_000 });
      // Once more, to either: still a duplicate.
      expect((await webB.deliver("pull_request.opened", payload, { id: "shared-delivery" })).body).toBe("duplicate\n");
      expect(standIn.checkRuns.filter((r) => r.headSha === head)).toHaveLength(1);
    }),
  );
});
