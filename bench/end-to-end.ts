// The whole app, webhook to completed check (DESIGN §9): the real server (`npm start`'s
// dist/github/server.js) against the GitHub stand-in, on a repository of 2,000 manifests of
// which a pull request changes 10, with 50 ms added to every API call. A first pull request
// meets a cold blob cache and render memo (a fresh process); a second one, in the same
// process, warm ones.
//   node --import tsx bench/end-to-end.ts [--manifests 2000] [--latency 50] [--profile] [--cpu-prof DIR]
// --profile prints every call's timing; --cpu-prof writes the app process's CPU profiles to DIR.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { LineCounter, parseAllDocuments } from "yaml";
import { AppHarness, ensureBuilt } from "../tools/app-harness.js";
import { ackFigures, startSender } from "./sender.js";
import { longestSequentialChain, pullRequestOpened, ScratchRepository, startGitHubStandIn, type GitHubStandIn, type RecordedCall } from "../tools/github-stand-in/index.js";

export interface EndToEndFigures {
  bench: "end-to-end";
  cache: "cold" | "warm";
  manifests: number;
  changed: number;
  latencyMs: number;
  /** Delivery sent → the update that completed the check run answered. */
  webhookToCheckMs: number;
  /** Delivery sent → the last read before the completion answered: the gathering; the rest is evaluating and publishing. */
  gatheredMs: number;
  /**
   * A floor for the evaluation, measured in this process: parsing, with the `yaml` package and
   * line numbers as meshgate reads them, the manifests this pull request's evaluation had to read
   * anew (every one of them when cold, the changed ones when warm).
   */
  parseFloorMs: number;
  /** Delivery sent → the event's last call answered (the comment written). */
  webhookToDoneMs: number;
  /** API calls the event caused, and of them GraphQL queries, and blobs those queries asked for. */
  calls: number;
  graphqlCalls: number;
  blobsFetched: number;
  /** The longest chain of calls each made after the previous one answered. */
  sequentialDepth: number;
  /** Time from the delivery to the completed check with no API call in flight: the app's own work and its client's queueing. */
  idleMs: number;
  conclusion: string | null;
  /**
   * Deliveries (pings, one after another's answer, 20 ms apart) sent from a thread of their own
   * while this evaluation ran, from its delivery to its completed check: how long each waited for
   * its answer (DESIGN §7: acknowledged within 100 ms, whatever the repository size).
   */
  ackWhileEvaluating: { p50: number; max: number; deliveries: number };
}

/** The targets of DESIGN §9 and the issue, checked by bench/run.ts. */
export const END_TO_END_TARGETS = { sequentialDepth: 6, warmCalls: 14, webhookToCheckMs: 1000, ackMs: 100 };

/** GitHub's ping (sent when a webhook is made): verified and answered like any delivery, and nothing to queue. */
const PING = { zen: "Design for failure.", hook_id: 1, hook: { type: "App", id: 1, events: ["pull_request"] } };
const PROBE_EVERY_MS = 20;

const TEAMS = 25;

/**
 * One small Application per file, spread over 25 team directories, each with its mTLS and
 * access policy, so the platform starts without findings; `timeout` is what a change edits.
 */
function application(i: number, timeout: number): string {
  const team = i % TEAMS;
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: app-${i}
  namespace: team-${team}
spec:
  components:
    - name: svc-${i}
      type: webservice
      properties:
        image: ghcr.io/acme/svc-${i}:1.${i % 7}.0
        ports:
          - port: 8080
      traits:
        - type: mtls
        - type: access-policy
          properties:
            allow:
              - from: { serviceAccounts: ["team-${team}/gateway"] }
                to: { methods: [GET] }
        - type: http-resilience
          properties: { timeout: ${timeout}s, retries: { attempts: 2, perTryTimeout: 2s } }
`;
}

const pathOf = (i: number): string => `apps/team-${i % TEAMS}/app-${i}.yaml`;

const CONFIG = `defaultNamespace: default
mesh:
  mtls: STRICT
approvals:
  codeOwners: true
  minimum: 1
  securityTeam: "@acme/security"
`;

/** Each team owns its directory; security owns the policy files. */
function codeowners(): string {
  const lines = Array.from({ length: TEAMS }, (_, team) => `/apps/team-${team}/ @acme/team-${team}`);
  return `${lines.join("\n")}\n/.github/ @acme/security\n`;
}

/**
 * main: `manifests` Applications; branch pr-N: `changed` of them in team N's directory with a
 * new timeout. Built with one git fast-import, with fixed dates: the same shas on every run.
 */
async function benchRepository(params: { manifests: number; changed: number; teams: readonly number[] }): Promise<ScratchRepository> {
  const repository = await ScratchRepository.create();
  const files: Record<string, string> = { ".github/meshgate.yml": CONFIG, ".github/CODEOWNERS": codeowners() };
  for (let i = 0; i < params.manifests; i++) files[pathOf(i)] = application(i, 5);
  const branches = params.teams.map((team) => {
    const changes: Record<string, string> = {};
    for (let k = 0; k < params.changed; k++) changes[pathOf(team + TEAMS * k)] = application(team + TEAMS * k, 3);
    return { branch: `pr-${team}`, from: "main", files: changes, message: `Shorter timeouts for team ${team}` };
  });
  await repository.commits([{ branch: "main", files, message: "The platform" }, ...branches]);
  return repository;
}

/**
 * No call for this long after the check completed: the event's work is over. Octokit's
 * throttling spaces an installation's comment writes by up to 3 s (they notify people).
 */
const QUIET_MS = 3_500;

/**
 * Delivers pull_request.opened for `number` and measures the calls it causes until the app is
 * quiet again (Probot answers a delivery after 9 s at the latest, while the work goes on).
 */
async function measure(params: { app: AppHarness; standIn: GitHubStandIn; number: number; cache: EndToEndFigures["cache"]; manifests: number; changed: number; latencyMs: number; read: readonly string[]; profile: boolean }): Promise<EndToEndFigures> {
  const { app, standIn, number } = params;
  const pull = standIn.pullRequests.find((pr) => pr.number === number);
  const sha = pull ? await standIn.git.resolveCommit(pull.head) : null;
  if (!sha) throw new Error(`no pull request #${number}`);
  const payload = await pullRequestOpened(standIn, number);
  const before = standIn.calls.length;
  const probe = startSender({ url: app.webhookUrl, sequences: [[app.sign("ping", PING)]], repeatEveryMs: PROBE_EVERY_MS });
  const delivered = await app.deliver("pull_request.opened", payload, { timeoutMs: 120_000 });
  if (delivered.status >= 300) throw new Error(`the app answered ${delivered.status} ${delivered.body}`);
  const run = await app.waitForCheck({ sha, timeoutMs: 120_000 });
  probe.stop();
  const pings = await probe.answers;
  const refused = pings.filter((p) => p.status !== 200);
  if (refused.length > 0) throw new Error(`the app answered a ping ${refused[0]?.status ?? ""} ${refused[0]?.body ?? ""}`);
  const quiet = (): true | undefined => {
    const calls = standIn.calls.slice(before);
    const last = Math.max(...calls.map((call) => call.end));
    return calls.every((call) => call.status !== 0) && performance.now() - last > QUIET_MS ? true : undefined;
  };
  await app.waitFor("the end of the evaluation's calls", quiet, 120_000);
  const calls = standIn.calls.slice(before);
  const completing = calls.find((call) => call.method === "PATCH" && call.route?.endsWith("/check-runs/{check_run_id}") === true && hasConclusion(call.body));
  if (!completing) throw new Error("no call completed the check run");
  const graphql = calls.filter((call) => call.route === "POST /graphql");
  if (params.profile) printProfile({ title: `${params.cache} cache`, calls, sentAt: delivered.sentAt });
  const reads = calls.filter((call) => call.end <= completing.start && (call.method === "GET" || call.route === "POST /graphql"));
  return {
    bench: "end-to-end",
    cache: params.cache,
    manifests: params.manifests,
    changed: params.changed,
    latencyMs: params.latencyMs,
    webhookToCheckMs: Math.round(completing.end - delivered.sentAt),
    gatheredMs: Math.round(Math.max(...reads.map((call) => call.end)) - delivered.sentAt),
    parseFloorMs: Math.round(parseFloor(params.read)),
    webhookToDoneMs: Math.round(Math.max(...calls.map((call) => call.end)) - delivered.sentAt),
    calls: calls.length,
    graphqlCalls: graphql.length,
    blobsFetched: graphql.reduce((n, call) => n + blobsAskedFor(call.body), 0),
    sequentialDepth: longestSequentialChain(calls).length,
    idleMs: Math.round(idleTime(calls.filter((call) => call.start <= completing.end), delivered.sentAt, completing.end)),
    conclusion: run.conclusion,
    ackWhileEvaluating: ackFigures(pings),
  };
}

/** Parsing `texts` as meshgate does (all documents, with a line counter), the best of three runs. */
function parseFloor(texts: readonly string[]): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    for (const text of texts) parseAllDocuments(text, { lineCounter: new LineCounter() });
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function hasConclusion(body: unknown): boolean {
  return typeof body === "object" && body !== null && "conclusion" in body;
}

/** gather-blobs names its variables b0, b1…: one per blob. */
function blobsAskedFor(body: unknown): number {
  if (typeof body !== "object" || body === null || !("variables" in body) || typeof body.variables !== "object" || body.variables === null) return 0;
  return Object.keys(body.variables).filter((name) => /^b\d+$/.test(name)).length;
}

/** The time in [from, to] covered by no call. */
function idleTime(calls: readonly RecordedCall[], from: number, to: number): number {
  let idle = 0;
  let reached = from;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (call.start > reached) idle += Math.min(call.start, to) - reached;
    reached = Math.max(reached, call.end);
    if (reached >= to) break;
  }
  return idle + Math.max(0, to - reached);
}

/** Every call with its start and end after the delivery, the longest sequential chain marked. */
function printProfile(params: { title: string; calls: readonly RecordedCall[]; sentAt: number }): void {
  const chain = new Set(longestSequentialChain(params.calls));
  console.log(`\n${params.title}: calls, start and end in ms after the delivery (* = on the longest sequential chain)`);
  for (const call of params.calls) {
    const at = (t: number): string => String(Math.round(t - params.sentAt)).padStart(6);
    console.log(`${chain.has(call) ? "*" : " "} ${at(call.start)} ${at(call.end)}  ${call.status}  ${call.method} ${call.path}${call.route === "POST /graphql" ? ` (${blobsAskedFor(call.body)} blobs)` : ""}`);
  }
}

export async function benchEndToEnd(options: { manifests?: number; changed?: number; latencyMs?: number; profile?: boolean; cpuProfileDir?: string } = {}): Promise<EndToEndFigures[]> {
  const manifests = options.manifests ?? 2000;
  const changed = options.changed ?? 10;
  const latencyMs = options.latencyMs ?? 50;
  const profile = options.profile ?? false;
  await ensureBuilt();
  const teams = [3, 7] as const;
  const repository = await benchRepository({ manifests, changed, teams });
  // What each evaluation reads anew: the first, every manifest of main and its changed ones; the second, its changed ones.
  const changedTexts = (team: number): string[] => Array.from({ length: changed }, (_, k) => application(team + TEAMS * k, 3));
  const read = { cold: [...Array.from({ length: manifests }, (_, i) => application(i, 5)), ...changedTexts(teams[0])], warm: changedTexts(teams[1]) };
  let standIn: GitHubStandIn | undefined;
  let app: AppHarness | undefined;
  try {
    standIn = await startGitHubStandIn({ repository: repository.dir });
    for (const [n, team] of teams.entries()) standIn.addPullRequest({ number: n + 1, base: "main", head: `pr-${team}`, author: "alex" });
    for (let team = 0; team < TEAMS; team++) standIn.setTeam(`acme/team-${team}`, [`lead-${team}`]);
    standIn.setTeam("acme/security", ["sam"]);
    await standIn.git.preload(["main", ...teams.map((team) => `pr-${team}`)]);
    const nodeArguments = options.cpuProfileDir !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    app = await AppHarness.start({ standIn, nodeArguments });
    standIn.inject("*", { kind: "latency", ms: latencyMs });
    const common = { app, standIn, manifests, changed, latencyMs, profile };
    return [await measure({ ...common, number: 1, cache: "cold", read: read.cold }), await measure({ ...common, number: 2, cache: "warm", read: read.warm })];
  } finally {
    await app?.stop();
    await standIn?.close();
    await repository.remove();
  }
}

export function endToEndTable(figures: readonly EndToEndFigures[]): string {
  const rows = [
    ["cache", "manifests", "changed", "ms/call", "calls", "graphql", "blobs", "depth", "gathered", "parse floor", "webhook → check", "→ done", "ACK meanwhile p50/max"],
    ...figures.map((f) => [
      f.cache,
      String(f.manifests),
      String(f.changed),
      String(f.latencyMs),
      String(f.calls),
      String(f.graphqlCalls),
      String(f.blobsFetched),
      String(f.sequentialDepth),
      `${f.gatheredMs} ms`,
      `${f.parseFloorMs} ms`,
      `${f.webhookToCheckMs} ms`,
      `${f.webhookToDoneMs} ms`,
      `${f.ackWhileEvaluating.p50}/${f.ackWhileEvaluating.max} ms`,
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")).join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { manifests: { type: "string" }, latency: { type: "string" }, profile: { type: "boolean", default: false }, "cpu-prof": { type: "string" } } });
  const started = performance.now();
  const figures = await benchEndToEnd({
    ...(values.manifests !== undefined ? { manifests: Number(values.manifests) } : {}),
    ...(values.latency !== undefined ? { latencyMs: Number(values.latency) } : {}),
    profile: values.profile,
    ...(values["cpu-prof"] !== undefined ? { cpuProfileDir: values["cpu-prof"] } : {}),
  });
  console.log(`\nend to end: the app's server on the GitHub stand-in (${Math.round((performance.now() - started) / 1000)} s)`);
  console.log(endToEndTable(figures));
  for (const f of figures) console.log(JSON.stringify(f));
}
