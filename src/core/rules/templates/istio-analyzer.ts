import { defaultAnalyzerMesh } from "../../analyzers/analyzer.js";
import { SUPPRESS_ANNOTATION, runAnalyzers, type AnalysisMessage } from "../../analyzers/run-analyzers.js";
import type { RenderResult } from "../../types.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface IstioAnalyzerParams {
  /** The IST code the rule stands for (one rule per code, rules/IST-<nnn>.yaml). */
  code: string;
}

// Every IST rule reads the same analysis of a revision: run the analyzers once per render.
const analyses = new WeakMap<RenderResult, AnalysisMessage[]>();

/**
 * Istio's analyzers as a rule of the catalog: the messages of one IST code. The suppression
 * annotation istioctl honours does not silence the gate (a change could add it to hide what it
 * breaks): the finding is kept, says so, and only a waiver of the base branch removes it.
 */
export const istioAnalyzer = defineTemplate<IstioAnalyzerParams>({
  name: "istio-analyzer",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["code"],
    properties: { code: { type: "string", pattern: "^IST[0-9]{4}$" } },
  },
  check({ render, config }, { code }) {
    let messages = analyses.get(render);
    if (!messages) {
      messages = runAnalyzers(render.resources, defaultAnalyzerMesh(config.mesh));
      analyses.set(render, messages);
    }
    return messages
      .filter((m) => m.code === code)
      .map((m): FindingDraft => ({
        resource: m.resource,
        key: m.key,
        ...(m.pointer !== undefined ? { pointer: m.pointer } : {}),
        values: {
          code: m.code,
          message: m.message,
          suppressed: m.suppressed ? ` (its ${SUPPRESS_ANNOTATION} annotation is ignored by the gate: only a waiver on the base branch accepts a finding)` : "",
        },
      }));
  },
});
