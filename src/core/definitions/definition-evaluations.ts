import type { JsonObject } from "../types.js";
import { CueStopped, type CueEvaluator } from "./cue-evaluator.js";
import { batchProgram, isJsonObject, prepareTemplate, templateMessage, trimContext, type PreparedTemplate, type TemplateInput } from "./cue-program.js";

/** `stopped`: the evaluator failed, not the template; such a result is never memoized. */
export type Evaluation = { ok: true; value: JsonObject } | { ok: false; message: string; stopped?: true };

/** Thrown by `evaluate` while deferring: the render is to be retried once `flush` has run. */
export class PendingEvaluation extends Error {
  constructor() {
    super("a CUE evaluation is pending");
  }
}

/** Evaluations kept: about 20 kB each at most, so the memo stays within a few hundred MB. */
const MAX_HELD = 20_000;

/**
 * Inputs per CUE program. Batching saves compiling the template per input, but a program of
 * hundreds of inputs is megabytes, and cue-wasm's Go runtime has been seen to die collecting
 * the garbage of one (a `found pointer to free object` fatal error) on 1,000 Applications.
 */
const MAX_BATCH = 25;

/**
 * Template evaluations, memoized by template text, parameter and context, and batched: while
 * `deferring`, a miss is recorded and PendingEvaluation thrown, so that a caller can render
 * everything once, evaluate every recorded input of one template in one CUE program (`flush`),
 * and render again. A result never depends on how it was batched: a batch that fails is
 * evaluated input by input, so each error belongs to its own input.
 */
export class DefinitionEvaluations {
  readonly #evaluator: CueEvaluator | undefined;
  readonly #memo: Map<string, Evaluation>;
  /** Times the evaluator stopped, this one's and its predecessors': part of what a render depends on. */
  #epoch: number;
  #stopped = false;
  readonly #prepared = new Map<string, PreparedTemplate>();
  /** By template, the inputs to evaluate, by key. */
  readonly #pending = new Map<string, Map<string, TemplateInput>>();
  deferring = false;
  /** Inputs evaluated by CUE so far (memo hits excluded), and the CUE programs that took. */
  evaluations = 0;
  programs = 0;

  /**
   * `previous`: the evaluations of an evaluator that stopped, whose memo still holds (what CUE
   * answered before it stopped stays true); the epoch moves on, so that no render made while it
   * was stopped is taken from a render memo again.
   */
  constructor(evaluator: CueEvaluator | undefined, previous?: DefinitionEvaluations) {
    this.#evaluator = evaluator;
    this.#memo = new Map<string, Evaluation>(previous ? previous.#memo : []);
    this.#epoch = previous ? previous.#epoch : 0;
  }

  /** Whether the evaluator stopped: it evaluates nothing more, and a new one is to be started. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Changes whenever the evaluator stops: renders keyed by it are not reused across a stop. */
  get epoch(): number {
    return this.#epoch;
  }

  get hasEvaluator(): boolean {
    return this.#evaluator !== undefined;
  }

  /** The result of the template on the input; `context` is given to CUE as far as the template reads it. */
  evaluate(template: string, given: TemplateInput): Evaluation {
    const input = { parameter: given.parameter, context: trimContext(given.context, this.#prepare(template).reads) };
    const key = keyOf(template, input);
    const held = this.#memo.get(key);
    if (held) return held;
    if (!this.#evaluator) return { ok: false, message: "no CUE evaluator was started for this render" };
    if (this.deferring) {
      const inputs = this.#pending.get(template) ?? new Map<string, TemplateInput>();
      inputs.set(key, input);
      this.#pending.set(template, inputs);
      throw new PendingEvaluation();
    }
    const [result] = this.#run(template, [input]);
    return this.#hold(key, result ?? { ok: false, message: "CUE returned no result" });
  }

  /** Whether evaluations are waiting for `flush`. */
  get pending(): boolean {
    return this.#pending.size > 0;
  }

  /** Evaluates what was recorded while deferring, one program per template. */
  flush(): void {
    for (const [template, inputs] of this.#pending) {
      const entries = [...inputs];
      const results = this.#run(template, entries.map(([, input]) => input));
      entries.forEach(([key], i) => this.#hold(key, results[i] ?? { ok: false, message: "CUE returned no result" }));
    }
    this.#pending.clear();
  }

  #run(template: string, inputs: TemplateInput[]): Evaluation[] {
    const evaluator = this.#evaluator;
    if (!evaluator) return inputs.map(() => ({ ok: false, message: "no CUE evaluator was started for this render" }));
    const prepared = this.#prepare(template);
    if (inputs.length > MAX_BATCH) {
      const results: Evaluation[] = [];
      for (let i = 0; i < inputs.length; i += MAX_BATCH) results.push(...this.#run(template, inputs.slice(i, i + MAX_BATCH)));
      return results;
    }
    const evaluateAll = (batch: TemplateInput[]): Evaluation[] => {
      this.programs++;
      this.evaluations += batch.length;
      const json = JSON.parse(evaluator.toJSON(batchProgram(prepared, batch))) as JsonObject;
      return batch.map((_, i) => {
        const value = json[`r${i}`];
        return isJsonObject(value) ? { ok: true, value } : { ok: false, message: "the template evaluates to no struct" };
      });
    };
    try {
      return evaluateAll(inputs);
    } catch (error) {
      if (error instanceof CueStopped) {
        if (!this.#stopped) this.#epoch++;
        this.#stopped = true;
        return inputs.map(() => ({ ok: false, message: error.message, stopped: true }));
      }
      if (inputs.length === 1) return [{ ok: false, message: templateMessage(error instanceof Error ? error.message : String(error)) }];
      // One input's error fails the whole batch: each is evaluated alone, so the error is its own.
      return inputs.flatMap((input) => this.#run(template, [input]));
    }
  }

  #prepare(template: string): PreparedTemplate {
    let prepared = this.#prepared.get(template);
    if (!prepared) {
      prepared = prepareTemplate(template);
      this.#prepared.set(template, prepared);
    }
    return prepared;
  }

  #hold(key: string, evaluation: Evaluation): Evaluation {
    if (!evaluation.ok && evaluation.stopped) return evaluation;
    if (this.#memo.size >= MAX_HELD) {
      const oldest = this.#memo.keys().next();
      if (!oldest.done) this.#memo.delete(oldest.value);
    }
    this.#memo.set(key, evaluation);
    return evaluation;
  }
}

function keyOf(template: string, input: TemplateInput): string {
  return `${template}\u0000${JSON.stringify(input.parameter)}\u0000${JSON.stringify(input.context)}`;
}
