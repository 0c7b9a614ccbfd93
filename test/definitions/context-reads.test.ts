import { beforeAll, describe, expect, it } from "vitest";
import { contextReads, trimContext } from "../../src/core/definitions/cue-program.js";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import type { CueEvaluator } from "../../src/core/definitions/cue-evaluator.js";
import type { JsonObject } from "../../src/core/types.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";

const context: JsonObject = {
  name: "web",
  namespace: "shop",
  appName: "shop",
  output: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
  outputs: {
    service: { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ name: "http-8080", port: 8080 }] } },
    serviceaccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "web" } },
  },
};

const NAMED = `outputs: policy: {
	apiVersion: "security.istio.io/v1"
	kind:       "AuthorizationPolicy"
	metadata: name: "\\(context.name)-open"
	if context.outputs.service != _|_ {spec: rules: [{to: [{operation: ports: [for p in context.outputs.service.spec.ports {"\\(p.port)"}]}]}]}
}`;

const ITERATED = `outputs: policy: {
	apiVersion: "security.istio.io/v1"
	kind:       "AuthorizationPolicy"
	metadata: name: context.name
	spec: rules: [for k, v in context.outputs {to: [{operation: hosts: [k]}]}]
}`;

describe("the context a template is given", () => {
  it("is what the template names of it: its fields, and the outputs it names", () => {
    expect(trimContext(context, contextReads(NAMED))).toEqual({ name: "web", outputs: { service: context.outputs && (context.outputs as JsonObject).service } });
    expect(trimContext(context, contextReads("output: {kind: context.output.kind, n: context.appName}"))).toEqual({ output: context.output, appName: "shop" });
    // Named but not rendered: outputs is there, empty, as KubeVela gives it.
    expect(trimContext({ ...context, outputs: {} }, contextReads(NAMED))).toEqual({ name: "web", outputs: {} });
  });

  it("is all of it where the template may read anything of it", () => {
    for (const body of [ITERATED, "x: context", 'x: context["name"]', "let c = context\noutputs: a: c.output", "context: outputs: service: {}", 'x: context.outputs."service"']) {
      const trimmed = trimContext(context, contextReads(body));
      expect(body.includes("context.outputs") ? trimmed.outputs : trimmed, body).toEqual(body.includes("context.outputs") ? context.outputs : context);
    }
  });
});

describe("evaluations on a trimmed context", () => {
  let cue: CueEvaluator;
  beforeAll(async () => {
    cue = await startCueEvaluator();
  }, 30_000);

  it("give what the whole context gives, and an output the template does not name is no new evaluation", () => {
    const evaluations = new DefinitionEvaluations(cue);
    const whole = JSON.parse(cue.toJSON(`context: ${JSON.stringify(context)}\nparameter: {}\n${NAMED}`)) as JsonObject;
    const trimmed = evaluations.evaluate(NAMED, { parameter: {}, context });
    expect(trimmed).toEqual({ ok: true, value: expect.objectContaining({ outputs: whole.outputs }) as unknown });
    expect(whole.outputs).toMatchObject({ policy: { spec: { rules: [{ to: [{ operation: { ports: ["8080"] } }] }] } } });

    const more = { ...context, outputs: { ...(context.outputs as JsonObject), peer: { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "web" } } } };
    expect(evaluations.evaluate(NAMED, { parameter: {}, context: more })).toEqual(trimmed);
    expect(evaluations.evaluations).toBe(1);
    // A template that iterates the outputs is given every one, and sees the new one.
    const all = evaluations.evaluate(ITERATED, { parameter: {}, context: more });
    expect(all).toMatchObject({ ok: true, value: { outputs: { policy: { spec: { rules: [{ to: [{ operation: { hosts: ["service"] } }] }, { to: [{ operation: { hosts: ["serviceaccount"] } }] }, { to: [{ operation: { hosts: ["peer"] } }] }] } } } } });
  }, 30_000);
});
