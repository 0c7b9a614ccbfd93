import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Probot } from "probot";

/** GitHub caps webhook payloads at 25 MB; anything larger is not GitHub's, and is refused before it is buffered. */
export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

/** A payload that verified but that the app cannot read: the sender's fault, answered 400. */
export class MalformedPayload extends Error {
  override readonly name = "MalformedPayload";
}

const REQUIRED_HEADERS = ["x-github-event", "x-github-delivery", "x-hub-signature-256"] as const;

/**
 * meshgate's HTTP server: GitHub's deliveries on `webhookPath`, and GET /ping for health checks.
 * A delivery is verified (X-Hub-Signature-256), handed to the app's handlers (`receive`), which
 * only queue jobs, and answered: the evaluation happens off the request path, so the answer comes in
 * milliseconds whatever the repository. Errors are answered without internal detail (the log has it).
 */
export function webhookServer(params: { probot: Probot; receive: (event: EmitterWebhookEvent) => Promise<void>; webhookPath: string; healthy: () => Promise<boolean>; outcomeOf?: (id: string) => string | undefined }): Server {
  const { probot, webhookPath, healthy } = params;
  // Probot's log exists once it is initialised: read when needed.
  const log = {
    error: (object: object, message: string) => { probot.log.error(object, message); },
    warn: (object: object, message: string) => { probot.log.warn(object, message); },
  };
  return createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, "meshgate's server failed a request");
      if (!res.headersSent) answer(res, 500, { error: "internal error" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://server.invalid").pathname;
    if (path === "/ping" && (req.method === "GET" || req.method === "HEAD")) {
      const ok = await healthy().catch(() => false);
      res.writeHead(ok ? 200 : 503, { "content-type": "text/plain" }).end(ok ? "PONG" : "UNHEALTHY");
      return;
    }
    if (path !== webhookPath) { answer(res, 404, { error: "not found" }); return; }
    if (req.method !== "POST") { answer(res, 405, { error: "deliveries are POSTed" }); return; }
    const missing = REQUIRED_HEADERS.filter((h) => typeof req.headers[h] !== "string");
    if (missing.length > 0) { answer(res, 400, { error: `missing headers: ${missing.join(", ")}` }); return; }
    if (!/^\s*application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) { answer(res, 415, { error: "deliveries are application/json" }); return; }
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > MAX_PAYLOAD_BYTES) { refuseTooLarge(req, res); return; }
    const body = await readBody(req);
    if (body === undefined) { refuseTooLarge(req, res); return; }
    const id = String(req.headers["x-github-delivery"]);
    const name = String(req.headers["x-github-event"]);
    const signature = String(req.headers["x-hub-signature-256"]);
    if (!(await probot.webhooks.verify(body, signature).catch(() => false))) { answer(res, 400, { error: "signature does not match" }); return; }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      answer(res, 400, { error: "the payload is not JSON" }); return;
    }
    if (typeof payload !== "object" || payload === null) { answer(res, 400, { error: "the payload is not a JSON object" }); return; }
    try {
      await params.receive({ id, name, payload } as EmitterWebhookEvent);
    } catch (error) {
      if (causes(error).some((e) => e instanceof MalformedPayload)) {
        log.warn({ err: error }, `meshgate refused delivery ${id}: its payload is malformed`);
        answer(res, 400, { error: "the payload is malformed" }); return;
      }
      log.error({ err: error }, `meshgate could not queue delivery ${id}`);
      answer(res, 503, { error: "the delivery could not be queued; redeliver it" }); return;
    }
    // The body says what became of it (queued, duplicate, ignored): for whoever reads GitHub's delivery log.
    res.writeHead(200, { "content-type": "text/plain" }).end(`${params.outcomeOf?.(id) ?? "ignored"}\n`);
  }
}

/** The errors behind `error`: a handlers' AggregateError (nested when Probot's router wraps the app's), flattened. */
function causes(error: unknown): unknown[] {
  return error instanceof AggregateError ? error.errors.flatMap(causes) : [error];
}

function answer(res: ServerResponse, status: number, body: { error: string }): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** 413 and the connection closed: the rest of the body is not read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, { "content-type": "application/json", connection: "close" }).end(JSON.stringify({ error: `payloads are at most ${MAX_PAYLOAD_BYTES} bytes` }), () => {
    req.destroy();
  });
}

/**
 * The body as text, or undefined once it passes MAX_PAYLOAD_BYTES (the rest is not read). Read
 * with the stream's events: an async iterator costs a delivery several times as much.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) { chunks.push(chunk); return; }
      req.off("data", onData).off("end", onEnd).pause();
      resolve(undefined);
    };
    const onEnd = (): void => { resolve(Buffer.concat(chunks).toString("utf8")); };
    req.on("data", onData).once("end", onEnd).once("error", reject);
    req.once("close", () => { if (!req.complete) reject(new Error("the sender closed the connection before the whole body arrived")); });
  });
}
