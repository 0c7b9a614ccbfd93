import type { ApplicationManifest } from "../manifests/read-manifests.js";
import type { CanaryStepPlan } from "../manifests/application-policies.js";
import type { Diagnostic, JsonObject } from "../types.js";
import type { Rendered } from "./render.js";

/**
 * The KubeVela istio addon's `canary-rollout` workflow steps (its WorkflowStepDefinition,
 * kubevela/catalog experimental/addons/istio/definitions/canary-rollout-wf-def.yaml): each
 * applies the Application's first component with the `virtualService` and `destinationRule`
 * outputs of its canary-traffic trait patched (retainKeys): one weighted route to the
 * revisions' subsets, and one subset per revision. So those two resources are rendered once
 * per step, each with its step, instead of once for the component.
 */
export function applyCanarySteps(params: { app: ApplicationManifest; component: string; steps: readonly CanaryStepPlan[]; rendered: Rendered[]; diagnostics: Diagnostic[] }): Rendered[] {
  const { app, component, steps, rendered, diagnostics } = params;
  const patched = (r: Rendered): boolean =>
    r.resource.source.component === component && r.resource.source.trait === "canary-traffic" && (r.resource.object.kind === "VirtualService" || r.resource.object.kind === "DestinationRule");
  const targets = rendered.filter(patched);
  if (targets.length === 0) {
    const first = steps[0];
    if (first) {
      diagnostics.push({
        file: app.document.file,
        line: app.document.lineOf(first.path),
        severity: "error",
        message: `${app.name}: canary-rollout step ${first.name} patches the canary-traffic trait of the first component, ${component}, which has none: KubeVela cannot apply the step`,
      });
    }
    return rendered;
  }
  const out = rendered.filter((r) => !patched(r));
  for (const step of steps) {
    const line = app.document.lineOf(step.path);
    const by = `workflow step ${step.name}`;
    for (const target of targets) {
      const object = structuredClone(target.resource.object);
      const spec: JsonObject = object.kind === "VirtualService"
        ? { ...object.spec, http: [{ route: step.targets.map((t) => ({ destination: { host: component, subset: t.revision }, weight: t.weight })) }] }
        : { host: component, subsets: step.targets.map((t) => ({ name: t.revision, labels: { "service.istio.io/canonical-name": t.revision } })) };
      const patchedPaths = object.kind === "VirtualService" ? ["/spec/http"] : ["/spec"];
      const source = target.resource.source;
      out.push({
        resource: {
          object: { ...object, spec },
          source,
          sources: [
            { file: source.file, line: source.line, trait: "canary-traffic", paths: ["/metadata", ...(object.kind === "VirtualService" ? ["/spec/hosts"] : [])] },
            { file: source.file, line, trait: by, paths: patchedPaths },
          ],
          ...(target.resource.environment !== undefined ? { environment: target.resource.environment } : {}),
          step: { name: step.name, gates: step.gates },
        },
        lineOf: () => line,
        file: target.file,
      });
    }
  }
  return out;
}
