import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_DRAIN_MS, readServerConfig } from "../../src/github/server-config.js";
import { ensureBuilt } from "../../tools/app-harness.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const GOOD = { APP_ID: "12", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s" };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    readServerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("the settings were accepted");
}

describe("the server's settings", () => {
  it("reads Probot's variables, with meshgate's defaults", () => {
    const config = readServerConfig({ ...GOOD, GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http", PORT: "0" });
    expect(config).toMatchObject({ appId: 12, port: 0, baseUrl: "http://127.0.0.1:9/api/v3", redisUrl: undefined, drainMs: DEFAULT_DRAIN_MS, webhookPath: "/api/github/webhooks" });
    expect(readServerConfig({ ...GOOD, PRIVATE_KEY: privateKey.replace(/\n/g, "\\n") }).privateKey).toBe(privateKey);
    expect(readServerConfig({ ...GOOD, PRIVATE_KEY: Buffer.from(privateKey).toString("base64") }).privateKey).toBe(privateKey);
  });

  it.each([
    ["a non-numeric APP_ID", { APP_ID: "my-app" }, /^APP_ID must be the GitHub App's numeric id/],
    ["no APP_ID", { APP_ID: "" }, /^APP_ID is not set/],
    ["no private key", { PRIVATE_KEY: undefined }, /^PRIVATE_KEY or PRIVATE_KEY_PATH is not set/],
    ["a private key that is not one", { PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----" }, /^PRIVATE_KEY does not hold a valid private key/],
    ["an unreadable key file", { PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: "/nonexistent/key.pem" }, /^PRIVATE_KEY_PATH names no readable file/],
    ["an invalid PORT", { PORT: "eighty" }, /^PORT must be a port number/],
    ["a PORT out of range", { PORT: "70000" }, /^PORT must be a port number/],
    ["a REDIS_URL that is not one", { REDIS_URL: "localhost:6379" }, /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ["no WEBHOOK_SECRET in production", { NODE_ENV: "production", WEBHOOK_SECRET: undefined }, /^WEBHOOK_SECRET is required in production/],
  ])("refuses %s, naming the variable", (_, change, message) => {
    expect(refusal({ ...GOOD, ...change })).toMatch(message);
  });
});

describe("the server refusing to start", () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 180_000);

  /** Runs `npm start`'s script with `env` (nothing inherited but PATH) and returns its exit code and output. */
  function start(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [join(process.cwd(), "dist/github/server.js")], { env: { PATH: process.env.PATH, ...env }, cwd: tmpdir(), timeout: 20_000 }, (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
      });
    });
  }

  it("exits 1 with one line naming the variable, instead of the setup page", { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "meshgate-config-"));
    try {
      await writeFile(join(dir, "key.pem"), privateKey);
      const cases: [NodeJS.ProcessEnv, RegExp][] = [
        [{ APP_ID: "abc", PRIVATE_KEY_PATH: join(dir, "key.pem") }, /^meshgate: APP_ID must be the GitHub App's numeric id/],
        [{ APP_ID: "1", PRIVATE_KEY_PATH: join(dir, "missing.pem") }, /^meshgate: PRIVATE_KEY_PATH names no readable file/],
        [{ APP_ID: "1", PRIVATE_KEY_PATH: join(dir, "key.pem"), PORT: "-1" }, /^meshgate: PORT must be a port number/],
        // Nothing listens on port 1 of the loopback: refused at once.
        [{ APP_ID: "1", PRIVATE_KEY_PATH: join(dir, "key.pem"), PORT: "0", REDIS_URL: "redis://127.0.0.1:1" }, /^meshgate: REDIS_URL is unreachable/],
      ];
      for (const [env, message] of await Promise.all(cases.map(async ([env, message]) => [await start(env), message] as const))) {
        expect(env.code).toBe(1);
        expect(env.stderr.trim().split("\n")).toHaveLength(1);
        expect(env.stderr).toMatch(message);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
