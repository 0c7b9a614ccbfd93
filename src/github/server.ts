import { startProcess } from "./start-process.js";
import { webhookServer } from "./webhook-server.js";

// `npm start`: the web process. Configured by Probot's usual environment (APP_ID, PRIVATE_KEY
// or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, WEBHOOK_PATH, GHE_HOST / GHE_PROTOCOL,
// LOG_LEVEL, LOG_FORMAT, REDIS_URL) and MESHGATE_DRAIN_MS. It serves the webhooks on
// /api/github/webhooks and GET /ping. Without REDIS_URL it evaluates too (the embedded queue);
// with it, `npm run worker` processes evaluate.

const meshgate = await startProcess({ role: "web" });
const { config, probot, app } = meshgate;
const server = webhookServer({ probot, receive: (event) => app.receive(event), webhookPath: config.webhookPath, healthy: () => app.queue.healthy(), outcomeOf: (id) => app.takeOutcome(id) });
await new Promise<void>((resolve, reject) => {
  server.once("error", reject);
  server.listen(config.port, config.host, () => {
    resolve();
  });
}).catch((error: unknown) => {
  process.stderr.write(`meshgate: PORT ${config.port} cannot be listened on: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
const address = server.address();
probot.log.info(`meshgate listening on ${typeof address === "object" && address ? `${address.address}:${address.port}` : String(address)}, ${config.redisUrl ? "queueing to Redis" : "with the embedded queue"}`);

// Containers are stopped with SIGTERM: no new deliveries, running evaluations finish within the grace period.
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeIdleConnections();
  meshgate.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      probot.log.error({ err: error }, "meshgate did not stop cleanly");
      process.exit(1);
    },
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
