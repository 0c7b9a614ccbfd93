import { CueStopped, type CueEvaluator } from "../core/definitions/cue-evaluator.js";

let started: Promise<CueEvaluator> | undefined;

/** cue-wasm keeps its started instance here, and hands it out again while it is there. */
declare global {
  var CueWasmAPI: Record<string, unknown> | undefined;
}

/**
 * CUE v0.4.3 compiled to WebAssembly (the cue-wasm package), started once per process: about
 * a second the first time, nothing after. Callers start it only when a snapshot holds a
 * definition, so a repository without one never pays for it. Should its Go runtime die (it
 * answers nothing, or says it has exited), every later call throws CueStopped, and the next
 * call of this function starts a fresh instance.
 */
export function startCueEvaluator(): Promise<CueEvaluator> {
  started ??= (async () => {
    const { init } = await import("cue-wasm");
    const cue = await init();
    let stopped: string | undefined;
    const stop = (reason: string, cause?: unknown): CueStopped => {
      stopped ??= reason;
      started = undefined;
      // Forget the dead instance, so that the next init() starts a new one.
      if (globalThis.CueWasmAPI) delete globalThis.CueWasmAPI.full;
      return new CueStopped(`CUE stopped (${stopped}): nothing could be evaluated, so this fails closed; it is started again for the next evaluation`, { cause });
    };
    return {
      toJSON(program: string): string {
        if (stopped !== undefined) throw stop(stopped);
        let json: unknown;
        try {
          json = cue.toJSON(program);
        } catch (error) {
          // cue-wasm throws CUE's message as a bare string; a dead runtime throws an Error.
          if (error instanceof Error && /already exited/.test(error.message)) throw stop(error.message, error);
          throw new Error(typeof error === "string" ? error : error instanceof Error ? error.message : "CUE evaluation failed", { cause: error });
        }
        if (typeof json !== "string") throw stop("its WebAssembly runtime returned no answer");
        return json;
      },
    };
  })();
  return started;
}
