// The benchmarks' webhook sender, in a thread of its own (see sender.ts): its timings are the
// app's answers alone, not the stand-in's work on the main thread of the benchmark.
import { performance } from "node:perf_hooks";
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import type { SenderInput, SentDelivery } from "./sender.js";

const input = workerData as SenderInput;
// node:http rather than fetch: on two cores shared with the app, fetch's own work per request
// (measured: a p50 of 85 ms answering 100 sequences side by side against a server that only
// answers 202) was the figure, not the app. Connections are kept, as a client's would be.
const agent = new http.Agent({ keepAlive: true });

async function post(delivery: SenderInput["sequences"][number][number]): Promise<SentDelivery> {
  const sentAt = performance.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(input.url, { method: "POST", headers: delivery.headers, agent, signal: AbortSignal.timeout(30_000) }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => { resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }); });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(delivery.body);
  });
  return { id: delivery.id, ...answer, ackMs: performance.now() - sentAt };
}

let stopped = false;
parentPort?.on("message", () => {
  stopped = true;
});

// One connection per sequence opened before the timed sends: the figures are the app's answers,
// not a hundred connection set-ups at once on this one thread.
await Promise.all(input.sequences.map(() => new Promise<void>((resolve, reject) => {
  http.get(new URL("/ping", input.url), { agent }, (response) => { response.resume(); response.on("end", resolve); }).on("error", reject);
})));

const sent = await Promise.all(
  input.sequences.map(async (sequence) => {
    const answers: SentDelivery[] = [];
    if (input.repeatEveryMs === undefined) {
      for (const delivery of sequence) answers.push(await post(delivery));
      return answers;
    }
    // Until told to stop: the sequence again and again, a pause between one answer and the next delivery.
    for (let i = 0; !stopped; i++) {
      const delivery = sequence[i % sequence.length];
      if (delivery === undefined) break;
      answers.push(await post(delivery));
      await new Promise((resolve) => setTimeout(resolve, input.repeatEveryMs));
    }
    return answers;
  }),
);
parentPort?.postMessage(sent.flat());
