import { startProcess } from "./start-process.js";

// `npm run worker`: a process that evaluates the jobs web processes queue to Redis (REDIS_URL
// is required). Any number of them, on any machine; SIGTERM drains it: running jobs finish
// within MESHGATE_DRAIN_MS, or go back to the queue.

if (!process.env.REDIS_URL) {
  process.stderr.write("meshgate: REDIS_URL is not set: a worker takes its jobs from Redis (without it, `npm start` evaluates by itself)\n");
  process.exit(1);
}
const meshgate = await startProcess({ role: "worker" });
meshgate.probot.log.info("meshgate worker taking jobs from Redis");
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  meshgate.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
