// The benchmarks' webhook sender, in a thread of its own (see sender.ts): its timings are the
// app's answers alone, not the stand-in's work on the main thread of the benchmark.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { deliverWebhook } from "../tools/github-stand-in/index.js";
import type { SenderInput, SentDelivery } from "./sender.js";

const input = workerData as SenderInput;

async function post(delivery: SenderInput["sequences"][number][number]): Promise<SentDelivery> {
  const sentAt = performance.now();
  const answer = await deliverWebhook(input.url, delivery, { timeoutMs: 30_000 });
  return { id: delivery.id, ...answer, ackMs: performance.now() - sentAt };
}

let stopped = false;
parentPort?.on("message", () => {
  stopped = true;
});

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
