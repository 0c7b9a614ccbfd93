import { evaluationsFor } from "../cue/evaluations-for.js";
import { loadConfig } from "../core/config/config.js";
import type { ChangeSet } from "../core/diff/change-set.js";
import { diffRenders } from "../core/diff/diff-renders.js";
import { evaluate, type EvaluationInputs } from "../core/evaluate.js";
import { RenderMemo } from "../core/render/render-memo.js";
import { renderSnapshot } from "../core/render/render-snapshot.js";
import type { Diagnostic, Resource } from "../core/types.js";
import { checkRunOutput, type CheckRunOutput } from "../report/check-run.js";
import { pullRequestComment } from "../report/comment.js";

/** What an evaluation publishes once its inputs are gathered: the check's output, and the pull request comment's body (undefined: no comment is due). */
export interface Judged {
  output: CheckRunOutput;
  comment: string | undefined;
}

/** What /render and /diff show. */
export type Rendered = { resources: readonly Resource[]; diagnostics: readonly Diagnostic[] } | { changes: ChangeSet };

/**
 * The CPU-bound part of the app's work (parsing, rendering, CUE, diffing, the rules), given
 * gathered inputs: in this process (tests, and anywhere the event loop has nothing else to
 * serve), or in threads beside it (threadJudge), so that a large repository's render never
 * holds up the webhook answers or a queue lock's renewal.
 */
export interface Judge {
  judge(inputs: EvaluationInputs): Promise<Judged>;
  /** The head's render (`diff` false), or what changes from base to head, with the base's config. */
  render(params: { inputs: EvaluationInputs; diff: boolean }): Promise<Rendered>;
  /** Releases what the judge holds (its threads); the in-process one holds nothing. */
  close(): Promise<void>;
}

/** The judge of this process: one render memo shared by its evaluations, CUE started when a definition first shows. */
export function inProcessJudge(memo: RenderMemo = new RenderMemo()): Judge {
  return {
    judge: async (inputs) => {
      const evaluations = await evaluationsFor([inputs.base, inputs.head]);
      const verdict = evaluate(inputs, { memo, ...(evaluations ? { evaluations } : {}) });
      return { output: checkRunOutput(verdict), comment: pullRequestComment(verdict) };
    },
    render: async ({ inputs, diff }) => {
      const { config } = loadConfig(inputs.policy.config);
      memo.trim();
      // CUE starts only for the sides rendered: a render reads the head alone.
      const evaluations = await evaluationsFor(diff ? [inputs.base, inputs.head] : [inputs.head]);
      const head = renderSnapshot(inputs.head, config, memo, evaluations);
      if (!diff) return { resources: head.resources, diagnostics: [...(inputs.readDiagnostics ?? []), ...head.diagnostics] };
      return { changes: diffRenders(renderSnapshot(inputs.base, config, memo, evaluations), head, { mesh: config.mesh }) };
    },
    close: () => Promise.resolve(),
  };
}
