import { readCatalog } from "../cli/read-catalog.js";
import type { EvaluationInputs } from "../core/evaluate.js";
import { inProcessJudge, type Judged, type Rendered } from "./judge.js";

// What each of threadJudge's threads runs: a judge of its own (its render memo, its CUE), with
// the rule catalog read as startApp reads it, so that the inputs sent here need not carry it.

/** Inputs as they cross to a thread: everything but the catalog, which the thread has. */
export type ThreadInputs = Omit<EvaluationInputs, "catalog">;

const own = inProcessJudge();
const catalog = readCatalog();

export function judge(inputs: ThreadInputs): Promise<Judged> {
  return own.judge({ ...inputs, catalog });
}

export function render(params: { inputs: ThreadInputs; diff: boolean }): Promise<Rendered> {
  return own.render({ inputs: { ...params.inputs, catalog }, diff: params.diff });
}
