import { createHmac, generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { request } from "node:http";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../../src/github/app.js";
import { EmbeddedQueue } from "../../src/github/embedded-queue.js";
import { MAX_PAYLOAD_BYTES, webhookServer } from "../../src/github/webhook-server.js";
import { signedDelivery } from "../../tools/github-stand-in/index.js";
import { payload } from "../support/github.js";
import { withLocalServers } from "../stand-in/support.js";

withLocalServers();
const SECRET = "webhook-secret";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

async function serve(options: { healthy?: () => Promise<boolean> } = {}): Promise<{ url: string; queue: EmbeddedQueue }> {
  const probot = new Probot({ appId: 1, privateKey, secret: SECRET, logLevel: "fatal" });
  const queue = new EmbeddedQueue();
  const app = startApp(probot, { queue, work: false });
  const server = webhookServer({ probot, receive: (event) => app.receive(event), webhookPath: "/api/github/webhooks", healthy: options.healthy ?? (() => queue.healthy()), outcomeOf: (id) => app.takeOutcome(id) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(() => new Promise((resolve) => server.close(() => { resolve(); })));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queue };
}

/** POSTs `body` in chunks, without a content length (chunked), and returns the status, or "reset" if the server cut the connection first. */
function postChunked(url: string, headers: Record<string, string>, size: number): Promise<number | "reset"> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/github/webhooks`, { method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => { resolve("reset"); });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const more = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", more);
          return;
        }
      }
      req.end();
    };
    more();
  });
}

describe("the webhook server", () => {
  it("queues a verified delivery and answers at once, saying it was queued; a second time, a duplicate", async () => {
    const { url, queue } = await serve();
    const event = { ...payload("pull_request", (p) => p.action === "opened"), installation: { id: 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" } };
    const delivery = signedDelivery(SECRET, "pull_request", event);
    const first = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect([first.status, await first.text()]).toEqual([200, "queued\n"]);
    const fields = event as unknown as { installation: { id: number }; repository: { owner: { login: string }; name: string }; number: number };
    const key = `${fields.installation.id}:${fields.repository.owner.login}/${fields.repository.name}#${fields.number}`.toLowerCase();
    expect((await queue.queued(key))?.kind).toBe("pull-request");
    const again = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect([again.status, await again.text()]).toEqual([200, "duplicate\n"]);
  });

  it("refuses a body over GitHub's 25 MB cap from its declared length, before reading it", async () => {
    const { url } = await serve();
    const delivery = signedDelivery(SECRET, "pull_request", {});
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/api/github/webhooks`, { method: "POST", headers: { ...delivery.headers, "content-length": String(MAX_PAYLOAD_BYTES + 1) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // Only a little is sent: the answer does not wait for the rest.
      req.write("{");
    });
    expect(answer).toBe(413);
  });

  it("refuses a chunked body once it passes the cap, without buffering it whole", async () => {
    const { url } = await serve();
    const delivery = signedDelivery(SECRET, "pull_request", {});
    const status = await postChunked(url, { ...delivery.headers, "transfer-encoding": "chunked" }, MAX_PAYLOAD_BYTES + 4 * 1024 * 1024);
    // The server answers 413 and closes; the client may see the answer or, still writing, the reset.
    expect([413, "reset"]).toContain(status);
  });

  it("answers a signed payload that is not JSON, or not a pull request's shape, with 400 and no internal detail", async () => {
    const { url } = await serve();
    for (const body of ["{not json", JSON.stringify({ action: "opened", installation: { id: 1 } })]) {
      // Signed over the malformed body itself.
      const headers = { ...signedDelivery(SECRET, "pull_request", {}).headers, "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
      const answer = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body });
      const text = await answer.text();
      expect(answer.status).toBe(400);
      expect(text).not.toMatch(/SyntaxError|TypeError|Cannot read|at /);
    }
  });

  it("refuses a forged signature", async () => {
    const { url } = await serve();
    const delivery = signedDelivery("another secret", "pull_request", payload("pull_request", (p) => p.action === "opened"));
    const answer = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(answer.status).toBe(400);
  });

  it("answers GET /ping healthy only while the queue is reachable", async () => {
    let reachable = true;
    const { url } = await serve({ healthy: () => Promise.resolve(reachable) });
    expect(await (await fetch(`${url}/ping`)).text()).toBe("PONG");
    reachable = false;
    const down = await fetch(`${url}/ping`);
    expect([down.status, await down.text()]).toEqual([503, "UNHEALTHY"]);
  });
});
