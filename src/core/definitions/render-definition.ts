import type { JsonObject, JsonValue, KubeObject } from "../types.js";
import { isJsonObject, templateLineOf } from "./cue-program.js";
import type { DefinitionEvaluations } from "./definition-evaluations.js";
import type { DefinitionManifest } from "./read-definition.js";

/** The `context` KubeVela gives every template of a component (output and outputs: as rendered so far). */
export interface DefinitionContext {
  name: string;
  namespace: string;
  appName: string;
  output?: KubeObject;
  outputs: Record<string, KubeObject>;
}

/** What a template evaluated to, as KubeVela reads it. */
export interface DefinitionResult {
  output?: KubeObject;
  /** In the template's order: KubeVela applies each as a resource of the component. */
  outputs: [string, KubeObject][];
  /** A trait's patch of the workload. */
  patch?: JsonObject;
  /** A trait's patches of outputs rendered before it, by output name. */
  patchOutputs: [string, JsonObject][];
}

export type DefinitionOutcome = { ok: true; result: DefinitionResult } | { ok: false; message: string; file: string; line: number };

/** The revision KubeVela gives a first deployment; meshgate renders what a revision would apply. */
const APP_REVISION_NUM = 1;
/** The Kubernetes version meshgate models (its schemas are those of Istio 1.30 on Kubernetes 1.30). */
const CLUSTER_VERSION = { major: "1", minor: "30", gitVersion: "v1.30.0", platform: "linux/amd64" };

/**
 * Evaluates a definition's template for one component or trait: `parameter` is the properties
 * (the template's own parameter schema adds its defaults and rejects what it does not allow),
 * `context` what KubeVela provides. Whatever the template writes that KubeVela could not apply
 * (an output that is no Kubernetes object) is an error at the definition, like a CUE error.
 */
export function evaluateDefinition(params: { definition: DefinitionManifest; properties: JsonObject; context: DefinitionContext; evaluations: DefinitionEvaluations }): DefinitionOutcome {
  const { definition, properties, context, evaluations } = params;
  const fail = (message: string, templateLine = 0): DefinitionOutcome => ({ ok: false, message, file: definition.file, line: definition.templateLine + templateLine });
  const kubeContext: JsonObject = {
    name: context.name,
    namespace: context.namespace,
    appName: context.appName,
    appRevision: `${context.appName}-v${APP_REVISION_NUM}`,
    appRevisionNum: APP_REVISION_NUM,
    clusterVersion: CLUSTER_VERSION,
    outputs: context.outputs,
    ...(context.output ? { output: context.output } : {}),
  };
  const evaluation = evaluations.evaluate(definition.template, { parameter: properties, context: kubeContext });
  if (!evaluation.ok) return fail(`${definition.kind === "trait" ? "TraitDefinition" : "ComponentDefinition"} ${definition.name} does not evaluate: ${evaluation.message}`, templateLineOf(definition.template, evaluation.message));
  const value = evaluation.value;
  const name = `${definition.kind === "trait" ? "TraitDefinition" : "ComponentDefinition"} ${definition.name}`;

  const result: DefinitionResult = { outputs: [], patchOutputs: [] };
  if (value.output !== undefined) {
    if (definition.kind === "trait") return fail(`${name}: a trait writes \`outputs\` or \`patch\`, not \`output\``, templateLineOf(definition.template, "output:"));
    const object = kubeObject(value.output, context);
    if (typeof object === "string") return fail(`${name}: output ${object}`, templateLineOf(definition.template, "output:"));
    result.output = object;
  }
  if (value.outputs !== undefined) {
    if (!isJsonObject(value.outputs)) return fail(`${name}: outputs must be a struct of objects by name`, templateLineOf(definition.template, "outputs:"));
    for (const [key, output] of Object.entries(value.outputs)) {
      const object = kubeObject(output, context, false);
      if (typeof object === "string") return fail(`${name}: outputs.${key} ${object}`, templateLineOf(definition.template, `outputs.${key}:`));
      result.outputs.push([key, object]);
    }
  }
  if (value.patch !== undefined) {
    if (!isJsonObject(value.patch)) return fail(`${name}: patch must be a struct`, templateLineOf(definition.template, "patch:"));
    result.patch = value.patch;
  }
  if (value.patchOutputs !== undefined) {
    if (!isJsonObject(value.patchOutputs)) return fail(`${name}: patchOutputs must be a struct of patches by output name`, templateLineOf(definition.template, "patchOutputs:"));
    for (const [key, patch] of Object.entries(value.patchOutputs)) {
      if (!isJsonObject(patch)) return fail(`${name}: patchOutputs.${key} must be a struct`, templateLineOf(definition.template, `patchOutputs.${key}:`));
      result.patchOutputs.push([key, patch]);
    }
  }
  return { ok: true, result };
}

/**
 * A Kubernetes object as KubeVela applies an output: in the Application's namespace unless it
 * names one; the workload is named after the component unless it names itself.
 */
function kubeObject(value: JsonValue | undefined, context: DefinitionContext, nameDefaults = true): KubeObject | string {
  if (!isJsonObject(value)) return "is not a struct";
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") return "has no apiVersion and kind";
  const metadata = isJsonObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : nameDefaults ? context.name : undefined;
  if (name === undefined) return "has no metadata.name";
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : context.namespace;
  return { ...value, metadata: { ...metadata, name, namespace } } as KubeObject;
}

/**
 * A patch merged into an object, as KubeVela's patch strategy merges it: structs field by
 * field, a list of named items (containers, ports) item by item by `name`, any other list
 * replaced. In `patchOutputs` (`replaceLists`) every list is replaced: meshgate's own
 * definitions rewrite whole lists there and mark them `+patchStrategy=replace`.
 */
export function applyPatch(target: JsonValue | undefined, patch: JsonValue, replaceLists = false): JsonValue {
  if (isJsonObject(patch)) {
    const base = isJsonObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      base[key] = applyPatch(base[key], value, replaceLists);
    }
    return base;
  }
  if (Array.isArray(patch) && Array.isArray(target) && !replaceLists && [...patch, ...target].every((item) => isJsonObject(item) && typeof item.name === "string")) {
    const merged = [...target];
    for (const item of patch) {
      const at = merged.findIndex((existing) => isJsonObject(existing) && isJsonObject(item) && existing.name === item.name);
      if (at >= 0) merged[at] = applyPatch(merged[at], item, replaceLists);
      else merged.push(item);
    }
    return merged;
  }
  return patch;
}
