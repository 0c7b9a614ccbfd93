import { run } from "probot";
import app from "./app.js";
import { MeshgateOctokit } from "./meshgate-octokit.js";

// `npm start`: Probot's own server, configured by Probot's usual environment (APP_ID,
// PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, GHE_HOST / GHE_PROTOCOL,
// LOG_LEVEL, LOG_FORMAT). It serves the webhooks on /api/github/webhooks and GET /ping.

// Without WEBHOOK_SECRET Probot verifies signatures against the secret "development": anyone
// could forge a delivery. Fine on a laptop, never in production.
if (process.env.NODE_ENV === "production" && !process.env.WEBHOOK_SECRET) {
  process.stderr.write("meshgate: WEBHOOK_SECRET is required in production (the secret set in the GitHub App's settings)\n");
  process.exit(1);
}

const server = await run(app, { Octokit: MeshgateOctokit });

// Probot stops on SIGINT only; containers are stopped with SIGTERM.
process.once("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
