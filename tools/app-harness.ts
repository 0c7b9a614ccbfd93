import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { deliverWebhook, signedDelivery, type GitHubStandIn, type StoredCheckRun, type StoredComment, type WebhookDelivery } from "./github-stand-in/index.js";

/** Probot's default webhook path (probot/lib/server/server.js, defaultWebhookPath). */
export const WEBHOOK_PATH = "/api/github/webhooks";
/** What `npm run worker` logs (at info) once it takes jobs. */
export const WORKER_READY = "meshgate worker taking jobs from Redis";

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const BUILD_TIMEOUT_MS = 180_000;
const POLL_MS = 10;
/** The app's output kept for a failure report: the end of it. */
const MAX_LOG_CHARS = 256 * 1024;

/**
 * Probot's settings, and what could point the app elsewhere: cleared from the inherited
 * environment, so a developer's own GitHub App settings never reach the child.
 */
const PROBOT_VARIABLES = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_PATH",
  "WEBHOOK_PROXY_URL",
  "GHE_HOST",
  "GHE_PROTOCOL",
  "GH_ORG",
  "HOST",
  "PORT",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "LOG_LEVEL_IN_STRING",
  "LOG_MESSAGE_KEY",
  "SENTRY_DSN",
  "REDIS_URL",
  "NODE_ENV",
  "NODE_OPTIONS",
];

export interface Delivered {
  /** The delivery id (X-GitHub-Delivery). */
  id: string;
  status: number;
  body: string;
  /** performance.now() when the delivery was sent and when the app answered (Probot answers once the handlers ran, or after 9 s). */
  sentAt: number;
  answeredAt: number;
}

/**
 * meshgate's real server, started the `npm start` way (`node dist/github/server.js`) as a child
 * process against a GitHub stand-in: a generated RSA key and webhook secret, a free port on
 * 127.0.0.1, GHE_HOST/GHE_PROTOCOL pointing at the stand-in. Delivers signed webhooks, waits
 * (bounded) for what the app posts, and stops the process. Shared by the demo, the end-to-end
 * tests and the benchmark.
 */
export class AppHarness {
  readonly #standIn: GitHubStandIn;
  readonly #child: ChildProcess;
  readonly #workDir: string;
  readonly #secret: string;
  readonly #output: { text: string };
  readonly #exited: Promise<number | null>;
  readonly #killOnExit: () => void;
  #stopping: Promise<void> | undefined;
  /** Set once the process has exited: its code, or null for a signal. */
  #exitCode: number | null | undefined;

  private constructor(params: { standIn: GitHubStandIn; child: ChildProcess; workDir: string; secret: string; port: number; output: { text: string }; exited: Promise<number | null> }) {
    this.#standIn = params.standIn;
    this.#child = params.child;
    this.#workDir = params.workDir;
    this.#secret = params.secret;
    this.#output = params.output;
    this.#exited = params.exited;
    void params.exited.then((code) => {
      this.#exitCode = code;
    });
    this.url = `http://127.0.0.1:${params.port}`;
    this.webhookUrl = `${this.url}${WEBHOOK_PATH}`;
    // A parent that exits without stop() (an uncaught error, Ctrl-C) takes the server with it.
    this.#killOnExit = () => params.child.kill("SIGKILL");
    process.once("exit", this.#killOnExit);
  }

  /** http://127.0.0.1:PORT, the app's server. */
  readonly url: string;
  readonly webhookUrl: string;

  /**
   * Starts the app on a free port and waits for GET /ping. `root` is the project (dist/ must
   * be built: see ensureBuilt). Retries on another port if the one picked was taken meanwhile.
   * `nodeArguments` go before the script (a benchmark's diagnostic preload; never needed to run the app).
   */
  static async start(params: {
    standIn: GitHubStandIn;
    root?: string;
    logLevel?: string;
    nodeArguments?: readonly string[];
    /** Further settings (REDIS_URL, MESHGATE_DRAIN_MS…), over the harness's own. */
    env?: Record<string, string>;
    /** `server` (default, `npm start`) or `worker` (`npm run worker`: no HTTP; ready once it says it takes jobs, at LOG_LEVEL info). */
    script?: "server" | "worker";
  }): Promise<AppHarness> {
    const root = params.root ?? process.cwd();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const secret = randomBytes(20).toString("hex");
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      // An empty working directory: Probot loads .env from there, and a developer's .env overrides the environment.
      const workDir = await mkdtemp(join(tmpdir(), "meshgate-app-"));
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of PROBOT_VARIABLES) Reflect.deleteProperty(env, name);
      Object.assign(env, {
        NODE_ENV: "production",
        APP_ID: String(params.standIn.appId),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: secret,
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: new URL(params.standIn.url).host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: params.logLevel ?? (params.script === "worker" ? "info" : "warn"),
        ...params.env,
      });
      const script = params.script === "worker" ? "dist/github/worker.js" : "dist/github/server.js";
      const child = spawn(process.execPath, [...(params.nodeArguments ?? []), join(root, script)], { cwd: workDir, env, stdio: ["ignore", "pipe", "pipe"] });
      const output = { text: "" };
      const keep = (chunk: Buffer): void => {
        output.text = (output.text + chunk.toString("utf8")).slice(-MAX_LOG_CHARS);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const exited = new Promise<number | null>((resolve) => {
        child.once("exit", (code) => {
          resolve(code);
        });
        child.once("error", (error) => {
          keep(Buffer.from(`${error.message}\n`));
          resolve(null);
        });
      });
      const harness = new AppHarness({ standIn: params.standIn, child, workDir, secret, port, output, exited });
      try {
        if (params.script === "worker") await harness.waitFor("the worker taking jobs", () => (harness.logs.includes(WORKER_READY) ? true : undefined), START_TIMEOUT_MS);
        else await harness.#waitForPing();
        return harness;
      } catch (error) {
        lastError = error;
        await harness.stop();
        if (!/EADDRINUSE|already in use/.test(output.text)) throw error;
      }
    }
    throw lastError;
  }

  /** What the app printed (stdout and stderr, the last 256 KB): Probot's JSON log lines. */
  get logs(): string {
    return this.#output.text;
  }

  /** A webhook signed with this app's secret (`event` may carry the action, "pull_request.opened"), to be POSTed to `webhookUrl`. */
  sign(event: string, payload: unknown, options: { id?: string } = {}): WebhookDelivery {
    return signedDelivery(this.#secret, event, payload, { appId: this.#standIn.appId, ...(options.id !== undefined ? { id: options.id } : {}) });
  }

  /** Delivers a signed webhook (see sign) and returns the app's answer. */
  async deliver(event: string, payload: unknown, options: { id?: string; timeoutMs?: number } = {}): Promise<Delivered> {
    const delivery = this.sign(event, payload, options);
    const sentAt = performance.now();
    const answer = await deliverWebhook(this.webhookUrl, delivery, { timeoutMs: options.timeoutMs ?? 30_000 });
    return { id: delivery.id, ...answer, sentAt, answeredAt: performance.now() };
  }

  /**
   * The latest completed check run on `sha` newer than `after` (a check run id), once every
   * run on `sha` newer than it is completed: an evaluation in flight is waited for.
   */
  waitForCheck(params: { sha: string; after?: number; timeoutMs?: number }): Promise<StoredCheckRun> {
    const { sha, after = 0 } = params;
    const probe = (): StoredCheckRun | undefined => {
      const runs = this.#standIn.checkRuns.filter((run) => run.headSha === sha && run.id > after);
      return runs.length > 0 && runs.every((run) => run.status === "completed") ? runs[runs.length - 1] : undefined;
    };
    return this.waitFor(`a completed check run on ${sha.slice(0, 7)}${after > 0 ? ` after check run ${after}` : ""}`, probe, params.timeoutMs);
  }

  /** The first comment that satisfies `test` (the app's reply to a command, its PR comment…). */
  waitForComment(what: string, test: (comment: StoredComment) => boolean, timeoutMs?: number): Promise<StoredComment> {
    return this.waitFor(what, () => this.#standIn.comments.find(test), timeoutMs);
  }

  /** Polls `probe` until it gives a value; past `timeoutMs` (default 15 s), or if the app exits, fails with the app's last log lines. */
  async waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      this.#failIfExited(what);
      if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms${this.#logTail()}`);
      await sleep(POLL_MS);
    }
  }

  /** The process id (to kill it the hard way, as a crash would). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Kills the process with SIGKILL, as a crash or an out-of-memory kill would, and waits for it to exit. */
  async kill(): Promise<void> {
    this.#child.kill("SIGKILL");
    await this.#exited;
  }

  /** Sends SIGTERM, as Kubernetes stops a pod, and resolves with the exit code once the process has exited on its own. */
  async terminate(): Promise<number | null> {
    this.#child.kill("SIGTERM");
    return this.#exited;
  }

  /** Resolves with the exit code once the process has exited (null for a signal). */
  exited(): Promise<number | null> {
    return this.#exited;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its working directory. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      process.off("exit", this.#killOnExit);
      if (this.#child.exitCode === null && this.#child.signalCode === null) {
        this.#child.kill("SIGTERM");
        const timer = setTimeout(() => this.#child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await this.#exited;
        clearTimeout(timer);
      }
      await rm(this.#workDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return this.#stopping;
  }

  async #waitForPing(): Promise<void> {
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (;;) {
      const pong = await fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(1_000) }).then(
        async (response) => response.ok && (await response.text()) === "PONG",
        () => false,
      );
      if (pong) return;
      this.#failIfExited("GET /ping");
      if (performance.now() > deadline) throw new Error(`the app did not answer GET ${this.url}/ping within ${START_TIMEOUT_MS} ms${this.#logTail()}`);
      await sleep(50);
    }
  }

  #failIfExited(what: string): void {
    if (this.#exitCode !== undefined) throw new Error(`the app exited (${this.#exitCode ?? "signal"}) while waiting for ${what}${this.#logTail()}`);
  }

  #logTail(lines = 40): string {
    const tail = this.#output.text.trimEnd().split("\n").slice(-lines).join("\n");
    return tail === "" ? "" : `\n--- the app's last log lines ---\n${tail}`;
  }
}

/** A port free on 127.0.0.1 now: the system picks one for a listener on port 0, which is then closed. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Runs `npm run build` when dist/github/server.js is missing or older than a source or a
 * tsconfig; returns whether it built. Several processes (vitest's workers) may ask at once: a
 * lock directory makes one build while the others wait (bounded), then find dist fresh.
 */
export async function ensureBuilt(params: { root?: string; onBuild?: () => void } = {}): Promise<boolean> {
  const root = params.root ?? process.cwd();
  if (!(await isStale(root))) return false;
  const lock = join(tmpdir(), `meshgate-build-${createHash("sha256").update(root).digest("hex").slice(0, 16)}.lock`);
  const deadline = performance.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Another process is building; a lock older than the build timeout was left by a dead one.
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (since > BUILD_TIMEOUT_MS) await rm(lock, { recursive: true, force: true });
      if (performance.now() > deadline) throw new Error(`waited ${BUILD_TIMEOUT_MS / 1000} s for another build of ${root} (lock ${lock})`);
      await sleep(100);
    }
  }
  try {
    if (!(await isStale(root))) return false;
    params.onBuild?.();
    await new Promise<void>((resolve, reject) => {
      execFile("npm", ["run", "-s", "build"], { cwd: root, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`npm run build failed:\n${stdout}${stderr}`));
        else resolve();
      });
    });
    return true;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function isStale(root: string): Promise<boolean> {
  const built = await stat(join(root, "dist/github/server.js")).then((s) => s.mtimeMs, () => undefined);
  if (built === undefined) return true;
  const sources = await newestMtime(join(root, "src"));
  const configs = await Promise.all(["tsconfig.json", "tsconfig.build.json", "package-lock.json"].map((f) => stat(join(root, f)).then((s) => s.mtimeMs, () => 0)));
  return Math.max(sources, ...configs) > built;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
