import type { CueEvaluator } from "../core/definitions/cue-evaluator.js";

let started: Promise<CueEvaluator> | undefined;

/**
 * CUE v0.4.3 compiled to WebAssembly (the cue-wasm package), started once per process: about
 * 300 ms the first time, nothing after. Callers start it only when a snapshot holds a
 * definition, so a repository without one never pays for it.
 */
export function startCueEvaluator(): Promise<CueEvaluator> {
  started ??= (async () => {
    const { init } = await import("cue-wasm");
    const cue = await init();
    return {
      toJSON(program: string): string {
        try {
          return cue.toJSON(program);
        } catch (error) {
          // cue-wasm throws CUE's message as a bare string.
          throw new Error(typeof error === "string" ? error : error instanceof Error ? error.message : "CUE evaluation failed", { cause: error });
        }
      },
    };
  })();
  return started;
}
