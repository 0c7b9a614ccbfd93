import Bottleneck from "bottleneck";
import { Probot } from "probot";
import { startApp, type StartedApp } from "./app.js";
import { EmbeddedQueue } from "./embedded-queue.js";
import { MeshgateOctokit } from "./meshgate-octokit.js";
import { RedisQueue } from "./redis-queue.js";
import { completeOpenChecks } from "./run-job.js";
import { threadJudge } from "./thread-judge.js";
import { ConfigError, readServerConfig, type ServerConfig } from "./server-config.js";

export interface MeshgateProcess {
  config: ServerConfig;
  probot: Probot;
  app: StartedApp;
  /** Stops taking jobs and drains (MESHGATE_DRAIN_MS); then releases Redis. */
  stop(): Promise<void>;
}

/**
 * What `npm start` and `npm run worker` share: the settings read (or the process refused with
 * one line naming the variable), Probot made with meshgate's Octokit, and the queue: embedded
 * without REDIS_URL (this process evaluates), BullMQ with it (`role` says whether this process
 * enqueues, evaluates, or both).
 */
export async function startProcess(params: { role: "web" | "worker" }): Promise<MeshgateProcess> {
  let config: ServerConfig;
  try {
    config = readServerConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`meshgate: ${error.message}\n`);
    process.exit(1);
  }
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    ...(config.secret !== undefined ? { secret: config.secret } : {}),
    baseUrl: config.baseUrl,
    logLevel: config.logLevel,
    logFormat: config.logFormat,
    Octokit: MeshgateOctokit,
  });
  await probot.ready();
  if (config.secret === undefined) probot.log.warn("WEBHOOK_SECRET is not set: deliveries are checked against the secret \"development\", so they are NOT authenticated (never run like this outside a laptop)");
  let redis: RedisQueue | undefined;
  if (config.redisUrl !== undefined) {
    try {
      redis = await RedisQueue.connect({ url: config.redisUrl, log: probot.log, role: params.role });
    } catch (error) {
      process.stderr.write(`meshgate: REDIS_URL is unreachable: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  }
  const queue = redis ?? new EmbeddedQueue();
  const work = redis === undefined || params.role === "worker";
  // Renders run in threads: this process's event loop stays free for deliveries and locks.
  const judge = work ? threadJudge() : undefined;
  const app = startApp(probot, {
    queue,
    work,
    ...(judge ? { state: { judge } } : {}),
    ...(redis ? { shared: { Bottleneck, connection: redis.bottleneckConnection } } : {}),
  });
  return {
    config,
    probot,
    app,
    stop: async () => {
      await queue.drain(config.drainMs);
      if (work) await completeOpenChecks({ deps: app.worker });
      await judge?.close();
      await redis?.close();
    },
  };
}
