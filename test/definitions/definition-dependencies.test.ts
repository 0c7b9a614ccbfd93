import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { RenderMemo } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import type { RenderResult, Resource } from "../../src/core/types.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";
import { appWithTraits } from "../support/render.js";
import { authorizationPolicyTrait, traitDefinition } from "../support/trait-definition.js";

const MTLS_TRAIT = traitDefinition("mtls", `outputs: peer: {
\tapiVersion: "security.istio.io/v1"
\tkind:       "PeerAuthentication"
\tmetadata: name: context.name
\tspec: mtls: mode: "PERMISSIVE"
}
`);

const repository = {
  "apps/door.yaml": appWithTraits("- type: open-door", { name: "door" }),
  "apps/mesh.yaml": appWithTraits("- type: mtls\n  properties:\n    mode: STRICT", { name: "mesh" }),
  "apps/gate.yaml": appWithTraits("- type: side-gate", { name: "gate" }),
  "definitions/open-door.yaml": authorizationPolicyTrait("open-door", "open"),
  "definitions/side-gate.yaml": authorizationPolicyTrait("side-gate", "side"),
};

let evaluations: DefinitionEvaluations;
const memo = new RenderMemo();

beforeAll(async () => {
  evaluations = new DefinitionEvaluations(await startCueEvaluator());
}, 30_000);

/** Renders the files, and says which files were rendered anew and how many CUE evaluations that took. */
function render(files: Record<string, string>): { result: RenderResult; made: number; evaluated: number } {
  const made = memo.made;
  const evaluated = evaluations.evaluations;
  const result = renderSnapshot({ files: new Map(Object.entries(files)) }, defaultConfig(), memo, evaluations);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return { result, made: memo.made - made, evaluated: evaluations.evaluations - evaluated };
}

/** The very resources held before, not equal ones rendered again. */
function sameRenders(now: readonly Resource[], before: readonly Resource[]): void {
  expect(now).toHaveLength(before.length);
  now.forEach((resource, i) => {
    expect(resource).toBe(before[i]);
  });
}

const of = (result: RenderResult, app: string): Resource[] => result.resources.filter((r) => r.source.file === `apps/${app}.yaml`);

describe("a file's render is kept while the definitions of the types it uses are unchanged", () => {
  it("editing a definition re-renders the Applications that use it and no other; defining a type re-renders those that used meshgate's own", () => {
    const first = render(repository);
    expect(first.made).toBe(5);
    expect(first.evaluated).toBe(2);

    // The same repository again: nothing rendered, nothing evaluated.
    expect(render(repository)).toMatchObject({ made: 0, evaluated: 0 });

    // An edit of side-gate, which door and mesh do not use: their renders are the ones held,
    // and no CUE evaluation is made for them; gate and the edited file are rendered again.
    const edited = { ...repository, "definitions/side-gate.yaml": authorizationPolicyTrait("side-gate", "side", "DENY") };
    const second = render(edited);
    expect(second.made).toBe(2);
    expect(second.evaluated).toBe(1);
    for (const app of ["door", "mesh"]) {
      sameRenders(of(second.result, app), of(first.result, app));
    }
    expect(of(second.result, "gate").filter((r) => r.object.kind === "AuthorizationPolicy").map((r) => r.object.spec?.action)).toEqual(["DENY"]);

    // An edit of open-door, which door uses: door is rendered again, with the definition's new output.
    const third = render({ ...edited, "definitions/open-door.yaml": authorizationPolicyTrait("open-door", "opened") });
    expect(third.made).toBe(2);
    expect(third.evaluated).toBe(1);
    expect(of(third.result, "door").filter((r) => r.object.kind === "AuthorizationPolicy").map((r) => r.object.metadata.name)).toEqual(["door-opened"]);
    sameRenders(of(third.result, "gate"), of(second.result, "gate"));

    // A repository definition of mtls, which mesh used natively: mesh is rendered by it now.
    const fourth = render({ ...edited, "definitions/mtls.yaml": MTLS_TRAIT });
    expect(fourth.made).toBe(2);
    expect(of(fourth.result, "mesh").filter((r) => r.object.kind === "PeerAuthentication").map((r) => [r.object.spec?.mtls, r.source.definition?.name])).toEqual([[{ mode: "PERMISSIVE" }, "mtls"]]);
  }, 60_000);
});
