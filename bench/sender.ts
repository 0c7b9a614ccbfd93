import { setPriority } from "node:os";
import { Worker } from "node:worker_threads";
import type { WebhookDelivery } from "../tools/github-stand-in/index.js";
import { median } from "./measure.js";

/** The niceness the benchmark's main thread, where the stand-in serves the app, takes while deliveries are sent. */
const STAND_IN_NICE = 10;

export interface SenderInput {
  url: string;
  /** Sequences sent side by side; each one's deliveries in order, one after the previous one's answer. */
  sequences: WebhookDelivery[][];
  /** Set: each sequence is sent over and over, this long between an answer and the next delivery, until `stop`. */
  repeatEveryMs?: number;
}

export interface SentDelivery {
  id: string;
  status: number;
  body: string;
  /** From sending the request to reading the whole answer. */
  ackMs: number;
}

export interface Sender {
  /** Every delivery's answer, once the sequences are sent (or, repeating, once stopped). */
  answers: Promise<SentDelivery[]>;
  /** Ends a repeating sender after the delivery in flight. */
  stop(): void;
}

/**
 * Sends signed deliveries from a thread of its own (bench/sender-thread.ts). GitHub sends
 * webhooks from machines of its own: on one machine, a sender sharing the benchmark's main
 * thread with the stand-in would count the stand-in's work as the app's ACK latency.
 */
export function startSender(input: SenderInput): Sender {
  // A thread runs JavaScript: tsx is registered in it before the sender's module is imported.
  const script = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL("./sender-thread.ts", import.meta.url).href)}); })`;
  const thread = new Worker(script, { eval: true, workerData: input });
  // GitHub's side runs on GitHub's machines: here, from now on, the stand-in on this thread (and
  // the git processes it starts) gets the cores the app leaves, so the ACK measures the app, not a
  // stand-in busy on the same two cores. Linux nices one thread (the sender, started just before,
  // keeps its priority); elsewhere it would nice the sender too, so it is left alone.
  if (process.platform === "linux") setPriority(0, STAND_IN_NICE);
  const answers = new Promise<SentDelivery[]>((resolve, reject) => {
    // Its stop listener would keep the thread, and the benchmark, alive: done once it answered.
    thread.once("message", (sent: SentDelivery[]) => {
      resolve(sent);
      void thread.terminate();
    });
    thread.once("error", reject);
    thread.once("exit", (code) => { reject(new Error(`the sender stopped (exit ${code}) before answering`)); });
  });
  return { answers, stop: () => { thread.postMessage("stop"); } };
}

/** ACK latency of `answers`: median and maximum, whole milliseconds. */
export function ackFigures(answers: readonly SentDelivery[]): { p50: number; max: number; deliveries: number } {
  const acks = answers.map((a) => a.ackMs);
  return { p50: Math.round(median(acks)), max: Math.round(Math.max(0, ...acks)), deliveries: acks.length };
}
