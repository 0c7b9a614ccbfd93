import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** How long a stopping process gives its running evaluations: inside Kubernetes' usual 30 s grace period. */
export const DEFAULT_DRAIN_MS = 25_000;

export interface ServerConfig {
  appId: number;
  privateKey: string;
  /** Undefined in development only: deliveries are then checked against the secret "development", which anyone can forge. */
  secret: string | undefined;
  port: number;
  host: string | undefined;
  webhookPath: string;
  baseUrl: string;
  redisUrl: string | undefined;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  logFormat: "json" | "pretty";
  drainMs: number;
  production: boolean;
}

/** A setting the server cannot start with: the message names the variable, in one line. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/**
 * The server's settings, from Probot's usual environment (APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, WEBHOOK_PATH, GHE_HOST / GHE_PROTOCOL,
 * LOG_LEVEL, LOG_FORMAT, REDIS_URL) plus MESHGATE_DRAIN_MS. Anything missing or malformed is
 * refused, where Probot would start its setup page instead: a deployed gate must not come up
 * unconfigured and answer every delivery with nothing.
 */
export function readServerConfig(env: NodeJS.ProcessEnv, options: { cwd?: string } = {}): ServerConfig {
  const production = env.NODE_ENV === "production";
  const appId = env.APP_ID?.trim() ?? "";
  if (appId === "") throw new ConfigError("APP_ID is not set: the GitHub App's id, a number on the app's settings page");
  if (!/^[1-9]\d*$/.test(appId)) throw new ConfigError(`APP_ID must be the GitHub App's numeric id, not "${appId.slice(0, 40)}"`);
  const privateKey = readKey(env, options.cwd);
  const secret = env.WEBHOOK_SECRET === "" ? undefined : env.WEBHOOK_SECRET;
  if (production && secret === undefined) throw new ConfigError("WEBHOOK_SECRET is required in production (the secret set in the GitHub App's settings)");
  return {
    appId: Number(appId),
    privateKey,
    secret,
    port: portOf(env.PORT),
    host: env.HOST === "" ? undefined : env.HOST,
    webhookPath: env.WEBHOOK_PATH === undefined || env.WEBHOOK_PATH === "" ? "/api/github/webhooks" : env.WEBHOOK_PATH,
    baseUrl: baseUrlOf(env),
    redisUrl: redisUrlOf(env.REDIS_URL),
    logLevel: logLevelOf(env.LOG_LEVEL),
    logFormat: env.LOG_FORMAT === "pretty" || (env.LOG_FORMAT !== "json" && !production) ? "pretty" : "json",
    drainMs: drainOf(env.MESHGATE_DRAIN_MS),
    production,
  };
}

/**
 * The key as Probot takes it: PRIVATE_KEY holds the PEM (its newlines possibly written `\\n`, or
 * the whole base64-encoded), or PRIVATE_KEY_PATH names the file. Node's crypto is the judge of
 * whether it is a key. A stray .pem in the working directory, which Probot would pick up, is
 * not a key anyone configured.
 */
function readKey(env: NodeJS.ProcessEnv, cwd: string | undefined): string {
  let key: string;
  let named: "PRIVATE_KEY" | "PRIVATE_KEY_PATH";
  if (env.PRIVATE_KEY) {
    named = "PRIVATE_KEY";
    const raw = env.PRIVATE_KEY.trim();
    const decoded = raw.includes("-----BEGIN") ? raw : Buffer.from(raw, "base64").toString("utf8");
    key = decoded.replace(/\\n/g, "\n");
  } else if (env.PRIVATE_KEY_PATH) {
    named = "PRIVATE_KEY_PATH";
    try {
      key = readFileSync(resolve(cwd ?? process.cwd(), env.PRIVATE_KEY_PATH), "utf8");
    } catch {
      throw new ConfigError(`PRIVATE_KEY_PATH names no readable file: "${env.PRIVATE_KEY_PATH.slice(0, 200)}"`);
    }
  } else {
    throw new ConfigError("PRIVATE_KEY or PRIVATE_KEY_PATH is not set: the GitHub App's private key (.pem)");
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new ConfigError(`${named} does not hold a valid private key (PEM, PKCS#1 or PKCS#8)`);
  }
  return key;
}

function portOf(value: string | undefined): number {
  if (value === undefined || value === "") return 3000;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new ConfigError(`PORT must be a port number (0 to 65535), not "${value.slice(0, 40)}"`);
  return Number(value);
}

function baseUrlOf(env: NodeJS.ProcessEnv): string {
  if (!env.GHE_HOST) return "https://api.github.com";
  const protocol = env.GHE_PROTOCOL ?? "https";
  if (protocol !== "https" && protocol !== "http") throw new ConfigError(`GHE_PROTOCOL must be https or http, not "${protocol.slice(0, 40)}"`);
  const url = `${protocol}://${env.GHE_HOST}/api/v3`;
  if (!URL.canParse(url)) throw new ConfigError(`GHE_HOST must be a host name (and port), not "${env.GHE_HOST.slice(0, 80)}"`);
  return url;
}

function redisUrlOf(value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:")) throw new ConfigError("REDIS_URL must be a redis:// or rediss:// URL");
  return value;
}

function logLevelOf(value: string | undefined): ServerConfig["logLevel"] {
  if (value === undefined || value === "") return "info";
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${value.slice(0, 40)}"`);
  return level;
}

function drainOf(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_DRAIN_MS;
  if (!/^\d+$/.test(value)) throw new ConfigError(`MESHGATE_DRAIN_MS must be a number of milliseconds, not "${value.slice(0, 40)}"`);
  return Number(value);
}
