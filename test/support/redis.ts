import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { freePort } from "../../tools/app-harness.js";

/** Whether `redis-server` is on PATH: CI installs it (.ci/run); a laptop may not have it. */
export const HAS_REDIS = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/**
 * Tests that need Redis: under CI=true a missing redis-server fails them (it must be installed);
 * elsewhere they are skipped, and the run says so.
 */
export function redisAvailable(): boolean {
  if (HAS_REDIS) return true;
  if (process.env.CI === "true") throw new Error("redis-server is not on PATH, and CI=true: install it (apt-get install -y redis-server)");
  console.warn("redis-server is not on PATH: the Redis tests are SKIPPED (install it with apt-get install -y redis-server)");
  return false;
}

export interface RedisServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free loopback port, without persistence; stopped by its pid. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => { resolve(); }));
  const deadline = performance.now() + 10_000;
  while (!output.includes("Ready to accept connections")) {
    if (child.exitCode !== null || performance.now() > deadline) throw new Error(`redis-server did not start on port ${port}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pid = child.pid ?? 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    pid,
    stop: async () => {
      if (child.exitCode === null) process.kill(pid, "SIGTERM");
      await exited;
    },
  };
}
