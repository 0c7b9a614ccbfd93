import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { CueStopped, type CueEvaluator } from "../../src/core/definitions/cue-evaluator.js";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { RenderMemo } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";
import { appWithTraits } from "../support/render.js";
import { authorizationPolicyTrait } from "../support/trait-definition.js";

const files = new Map([["app.yaml", appWithTraits("- type: open-door")], ["definitions/open-door.yaml", authorizationPolicyTrait("open-door", "open")]]);

/** An evaluator whose runtime died: every call says so. */
const dead: CueEvaluator = {
  toJSON() {
    throw new CueStopped("CUE stopped (test): nothing could be evaluated");
  },
};

describe("an evaluator that stops", () => {
  it("fails the components closed, is not memoized, and a render after a restart is not taken from the render memo", async () => {
    const memo = new RenderMemo();
    const stopped = new DefinitionEvaluations(dead);
    const during = renderSnapshot({ files }, defaultConfig(), memo, stopped);
    expect(during.resources.filter((r) => r.object.kind === "AuthorizationPolicy")).toEqual([]);
    expect(during.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      expect.stringContaining("cannot be evaluated: nothing of this component is rendered, and it fails closed"),
      expect.stringContaining("CUE stopped (test)"),
    ]);
    expect(stopped.stopped).toBe(true);

    const restarted = new DefinitionEvaluations(await startCueEvaluator(), stopped);
    expect(restarted.stopped).toBe(false);
    const after = renderSnapshot({ files }, defaultConfig(), memo, restarted);
    expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(after.resources.filter((r) => r.object.kind === "AuthorizationPolicy").map((r) => r.object.metadata.name)).toEqual(["frontend-open"]);
    expect(restarted.evaluations).toBe(1);
  }, 30_000);
});
