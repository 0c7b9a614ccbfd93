// The load test (`npm run load`): the real server (`npm start`'s dist/github/server.js, the
// embedded queue) against the GitHub stand-in, with signed deliveries. 100 pull requests over
// 10 installations, each opened then pushed three times and reviewed twice (by a code owner and
// by the security team); some deliveries out of order, some duplicated; every pull request's
// deliveries fired at once with every other's. Half of them end fixed and approved (the gate
// passes), half keep checkout's mTLS PERMISSIVE (it fails).
//   node --import tsx bench/load.ts [--pulls 100] [--installations 10] [--limit-s 300] [--redis WORKERS]
// --redis runs a web process and WORKERS `npm run worker` processes on a throwaway redis-server
// (BullMQ) instead of the one process with the embedded queue.
// Asserts that every pull request ends with exactly one completed check run on its latest head,
// with the right conclusion, and one meshgate comment showing that verdict, and that no check is
// left in progress; reports the total time against the floor that the write budget sets for the
// writes needed, the writes coalescing saved, ACK latency and the app's peak RSS. Exits 1 when an
// assertion fails or the run is not over within --limit-s.
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { CONTENT_BUDGET, CONTENT_BURST, CONTENT_REFILL_MS } from "../src/github/github-lanes.js";
import { COMMENT_MARKER } from "../src/report/comment.js";
import { AppHarness, ensureBuilt } from "../tools/app-harness.js";
import {
  createShopRepository,
  pullRequestOpened,
  pullRequestReviewSubmitted,
  pullRequestSynchronize,
  startGitHubStandIn,
  type GitHubStandIn,
  type RecordedCall,
} from "../tools/github-stand-in/index.js";
import { pushShopFix, SHOP_PEOPLE, setUpShopPeople } from "../tools/shop-scenario.js";
import { startRedis, type RedisServer } from "../test/support/redis.js";
import { ackFigures, startSender } from "./sender.js";

const { values } = parseArgs({
  options: {
    pulls: { type: "string", default: "100" },
    installations: { type: "string", default: "10" },
    "limit-s": { type: "string", default: "300" },
    redis: { type: "string" },
  },
});
const PULLS = Number(values.pulls);
const INSTALLATIONS = Number(values.installations);
const LIMIT_MS = Number(values["limit-s"]) * 1000;
const WORKERS = values.redis === undefined ? 0 : Number(values.redis);
const FIRST_INSTALLATION = 1_000_001;
/** Writes a pull request needs at the least: its head's check run created and completed, and its comment created. */
const WRITES_NEEDED_PER_PULL = 3;

interface Delivery {
  event: string;
  payload: unknown;
  id: string;
}

interface Pull {
  number: number;
  installationId: number;
  passes: boolean;
  head: string;
  /** In the order they are fired (some swapped, some twice). */
  deliveries: Delivery[];
}

/** A payload of another installation: what GitHub sends for a repository that installation covers. */
function forInstallation<T>(payload: T, installationId: number): T {
  return { ...(payload as object), installation: { id: installationId, node_id: `installation-${installationId}` } } as T;
}

/**
 * The pull request's commits and the events GitHub would send for them, made before anything is
 * fired (the branch ends at its last push, as it would once the pushes are done).
 */
async function stagePull(params: { standIn: GitHubStandIn; repository: Awaited<ReturnType<typeof createShopRepository>>; number: number }): Promise<Pull> {
  const { standIn, repository, number } = params;
  const installationId = FIRST_INSTALLATION + (number % INSTALLATIONS);
  const passes = number % 2 === 0;
  const branch = `load-${number}`;
  const events: Omit<Delivery, "id">[] = [];
  const heads: string[] = [];
  const note = (version: number): Promise<string> =>
    repository.commit({ branch, from: "pr", files: { "README.md": `pull request ${number}, version ${version}\n` }, message: `pull request ${number}, version ${version}` });
  heads.push(await note(0));
  standIn.addPullRequest({ number, base: "main", head: branch, author: SHOP_PEOPLE.author });
  events.push({ event: "pull_request.opened", payload: await pullRequestOpened(standIn, number) });
  for (const version of [1, 2, 3]) {
    // The last push of a passing pull request is the fix (checkout back to STRICT mTLS).
    heads.push(version === 3 && passes ? await pushShopFix({ repository, branch }) : await note(version));
    events.push({ event: "pull_request.synchronize", payload: await pullRequestSynchronize(standIn, number, heads.at(-2)) });
  }
  for (const user of [SHOP_PEOPLE.codeOwner, SHOP_PEOPLE.security]) {
    const review = await standIn.addReview({ pull: number, user, state: "APPROVED" });
    events.push({ event: "pull_request_review.submitted", payload: await pullRequestReviewSubmitted(standIn, review) });
  }
  let deliveries: Delivery[] = events.map((e, i) => ({ ...e, payload: forInstallation(e.payload, installationId), id: `load-${number}-${i}` }));
  // Out of order, as GitHub does not promise order: every third pull request's second and third pushes swapped.
  if (number % 3 === 0) deliveries = [deliveries[0], deliveries[2], deliveries[1], ...deliveries.slice(3)].filter((d) => d !== undefined);
  // Duplicated, as GitHub redelivers: every fourth pull request's opening and last push arrive twice.
  if (number % 4 === 0) deliveries = [...deliveries.slice(0, 2), deliveries[0], ...deliveries.slice(2), deliveries[3]].filter((d) => d !== undefined);
  return { number, installationId, passes, head: heads.at(-1) ?? "", deliveries };
}

/** GitHub's content-creating requests among the calls (a GraphQL query is a read; so is asking for a token). */
function isWrite(call: RecordedCall): boolean {
  return call.method !== "GET" && call.route !== "POST /graphql" && call.route !== "POST /app/installations/{installation_id}/access_tokens";
}

/** What the lanes allow (github-lanes.ts): a burst, then one write a refill interval, within the hourly budget. */
function writeFloorMs(writes: number): number {
  const hours = Math.floor(Math.max(0, writes - 1) / CONTENT_BUDGET.perHour);
  const inLastHour = writes - hours * CONTENT_BUDGET.perHour;
  return hours * 3_600_000 + Math.max(0, inLastHour - CONTENT_BURST) * CONTENT_REFILL_MS;
}

/** The app's peak resident set (Linux: VmHWM), in MB. */
async function peakRssMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

interface Outcome {
  problems: string[];
  done: boolean;
}

/** Where every pull request stands: done when each has its one completed check on its head and the comment showing it, and nothing is in progress. */
function check(standIn: GitHubStandIn, pulls: readonly Pull[]): Outcome {
  const problems: string[] = [];
  const inProgress = standIn.checkRuns.filter((r) => r.status !== "completed");
  if (inProgress.length > 0) problems.push(`${inProgress.length} check runs not completed`);
  for (const pull of pulls) {
    const runs = standIn.checkRuns.filter((r) => r.headSha === pull.head);
    const comments = standIn.comments.filter((c) => c.issueNumber === pull.number && c.user === standIn.botLogin && c.body.startsWith(COMMENT_MARKER));
    const [run] = runs;
    const conclusion = pull.passes ? "success" : "failure";
    if (runs.length !== 1 || run?.status !== "completed") problems.push(`#${pull.number}: ${runs.length} check runs on its head ${pull.head.slice(0, 7)} (${runs.map((r) => r.status).join(", ")})`);
    else if (run.conclusion !== conclusion) problems.push(`#${pull.number}: concluded ${run.conclusion ?? "null"}, not ${conclusion}: ${run.output.title ?? ""}`);
    else if (comments.length !== 1 || !comments[0]?.body.includes(`meshgate: ${run.output.title ?? ""}`)) {
      problems.push(`#${pull.number}: ${comments.length} meshgate comments, ${comments.length === 1 ? "not showing its head's verdict" : "not one"}`);
    }
  }
  return { problems, done: problems.length === 0 };
}

async function main(): Promise<number> {
  const started = performance.now();
  const deadline = started + LIMIT_MS;
  await ensureBuilt();
  const repository = await createShopRepository();
  const moreInstallations = Array.from({ length: INSTALLATIONS - 1 }, (_, i) => FIRST_INSTALLATION + 1 + i);
  const standIn = await startGitHubStandIn({ repository: repository.dir, moreInstallations });
  setUpShopPeople(standIn);
  let app: AppHarness | undefined;
  let redis: RedisServer | undefined;
  const workers: AppHarness[] = [];
  try {
    const pulls: Pull[] = [];
    for (let number = 1; number <= PULLS; number++) pulls.push(await stagePull({ standIn, repository, number }));
    if (WORKERS > 0) {
      redis = await startRedis();
      const env = { REDIS_URL: redis.url };
      for (let i = 0; i < WORKERS; i++) workers.push(await AppHarness.start({ standIn, script: "worker", logLevel: "info", env }));
      app = await AppHarness.start({ standIn, logLevel: "warn", env });
    } else {
      app = await AppHarness.start({ standIn, logLevel: "warn" });
    }
    const harness = app;
    standIn.resetCalls();
    const fired = performance.now();
    const answers = await startSender({ url: harness.webhookUrl, sequences: pulls.map((pull) => pull.deliveries.map((d) => harness.sign(d.event, d.payload, { id: d.id }))) }).answers;
    const refused = answers.filter((a) => a.status < 200 || a.status >= 300);
    if (refused.length > 0) throw new Error(`${refused.length} deliveries refused: ${refused.slice(0, 3).map((a) => `${a.status} ${a.body}`).join("; ")}`);

    // Done once every pull request is, and stays so while the app settles (nothing written for a second).
    let outcome = check(standIn, pulls);
    for (;;) {
      const lastWrite = Math.max(0, ...standIn.calls.filter(isWrite).map((c) => c.end));
      if (outcome.done && performance.now() - lastWrite > 1_000) break;
      if (performance.now() > deadline) throw new Error(`not over within ${LIMIT_MS / 1000} s:\n${outcome.problems.slice(0, 10).join("\n")}${app.logs.split("\n").slice(-20).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      outcome = check(standIn, pulls);
    }

    const writes = standIn.calls.filter(isWrite);
    const lastWriteAt = Math.max(...writes.map((c) => c.end));
    const totalMs = lastWriteAt - fired;
    const perInstallation = new Map<number, { needed: number; made: number }>();
    for (const pull of pulls) {
      const entry = perInstallation.get(pull.installationId) ?? { needed: 0, made: 0 };
      entry.needed += WRITES_NEEDED_PER_PULL;
      perInstallation.set(pull.installationId, entry);
    }
    for (const call of writes) {
      const entry = call.installation === undefined ? undefined : perInstallation.get(call.installation);
      if (entry) entry.made++;
    }
    // Installations write in parallel, each in its own lanes: the busiest sets the floor.
    const floorMs = Math.max(...[...perInstallation.values()].map((e) => writeFloorMs(e.needed)));
    const distinct = pulls.reduce((sum, p) => sum + new Set(p.deliveries.map((d) => d.id)).size, 0);
    // Without coalescing, each distinct delivery would be one evaluation: its check created and completed, and the comment written.
    const uncoalescedWrites = distinct * WRITES_NEEDED_PER_PULL;
    const figures = {
      bench: "load",
      pulls: PULLS,
      installations: INSTALLATIONS,
      deliveries: answers.length,
      duplicates: answers.filter((a) => a.body === "duplicate\n").length,
      limits: `GitHub's secondary limits as the lanes model them, unscaled: per installation a burst of ${CONTENT_BURST} writes, then one every ${CONTENT_REFILL_MS} ms (at most ${CONTENT_BUDGET.perMinute} a minute), ${CONTENT_BUDGET.perHour} an hour`,
      totalMs: Math.round(totalMs),
      writeFloorMs: floorMs,
      writesNeeded: pulls.length * WRITES_NEEDED_PER_PULL,
      writesMade: writes.length,
      writesUncoalesced: uncoalescedWrites,
      writesSavedByCoalescing: uncoalescedWrites - writes.length,
      checkRuns: standIn.checkRuns.length,
      checkRunsOnOlderHeads: standIn.checkRuns.filter((r) => !pulls.some((p) => p.head === r.headSha)).length,
      ackMs: ackFigures(answers),
      processes: WORKERS > 0 ? `a web process and ${WORKERS} workers on Redis (BullMQ)` : "one process, the embedded queue",
      appPeakRssMb: await peakRssMb(app.pid),
      ...(WORKERS > 0 ? { workerPeakRssMb: await Promise.all(workers.map((w) => peakRssMb(w.pid))) } : {}),
    };
    console.log(JSON.stringify(figures, null, 2));
    return 0;
  } catch (error) {
    console.error(`load test FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await Promise.all([...(app ? [app] : []), ...workers].map((p) => p.stop()));
    await redis?.stop();
    await standIn.close();
    await repository.remove();
  }
}

const limit = setTimeout(() => {
  console.error(`load test FAILED: still running after ${LIMIT_MS / 1000 + 60} s`);
  process.exit(1);
}, LIMIT_MS + 60_000);
limit.unref();
process.exitCode = await main();
