import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina, type PiscinaTask, type TaskQueue } from "piscina";
import type { EvaluationInputs } from "../core/evaluate.js";
import { GATE_CONCURRENCY } from "./embedded-queue.js";
import type { Judge, Judged, Rendered } from "./judge.js";
import type { ThreadInputs } from "./judge-thread.js";

/**
 * The judge of `npm start` and `npm run worker`: every render in worker threads (Piscina), so
 * that the process's own event loop only answers webhooks, talks to GitHub and Redis, and renews
 * its locks, whatever the size of the repository being rendered. One thread per core but one
 * (the event loop's), at least one, at most as many as evaluations run at once. A thread that
 * dies (out of memory) fails its evaluation, which the check reports, and is replaced.
 */
export function threadJudge(options: { threads?: number } = {}): Judge {
  const threads = options.threads ?? Math.max(1, Math.min(GATE_CONCURRENCY, availableParallelism() - 1));
  // The compiled module beside this one (dist/github): what `npm start` and `npm run worker` run.
  const filename = fileURLToPath(new URL("./judge-thread.js", import.meta.url));
  // Threads kept for the process's life (their render memo is the warm cache), and niced: where
  // cores are short, the event loop answering GitHub is scheduled before a render.
  const pool = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: Infinity, niceIncrement: NICE_INCREMENT, taskQueue: new CommandsFirst() });
  return {
    judge: (inputs) => pool.run(crossing(inputs), { name: "judge" }) as Promise<Judged>,
    render: ({ inputs, diff }) => pool.run({ inputs: crossing(inputs), diff }, { name: RENDER }) as Promise<Rendered>,
    close: () => pool.destroy(),
  };
}

const RENDER = "render";
/** The render threads' nice value over the process's (Linux; elsewhere, or without @napi-rs/nice, none). */
const NICE_INCREMENT = 10;

/** The inputs without the catalog, which each thread reads once (see judge-thread.ts): it is not copied per evaluation. */
function crossing(inputs: EvaluationInputs): ThreadInputs {
  const rest: Partial<EvaluationInputs> = { ...inputs };
  delete rest.catalog;
  return rest as ThreadInputs;
}

/**
 * A command's render goes before every gate evaluation waiting for a thread: a reply waits for
 * one evaluation at most (the one running), never behind a backlog of them.
 */
class CommandsFirst implements TaskQueue {
  readonly #commands: PiscinaTask[] = [];
  readonly #evaluations: PiscinaTask[] = [];

  get size(): number {
    return this.#commands.length + this.#evaluations.length;
  }

  shift(): PiscinaTask | null {
    return this.#commands.shift() ?? this.#evaluations.shift() ?? null;
  }

  push(task: PiscinaTask): void {
    (task.name === RENDER ? this.#commands : this.#evaluations).push(task);
  }

  remove(task: PiscinaTask): void {
    for (const tasks of [this.#commands, this.#evaluations]) {
      const index = tasks.indexOf(task);
      if (index >= 0) tasks.splice(index, 1);
    }
  }
}
