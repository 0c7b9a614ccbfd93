// What an Application's policies and workflow do to what it renders, as KubeVela applies them:
// `topology`/`override` policies used by `deploy` steps (and the older `env-binding` policy
// with `deploy2env` steps) make one environment per step, each with the components as the
// overrides merge them; `canary-rollout` steps apply their own traffic weights.
import { compileSchema } from "../schema-check.js";
import type { Diagnostic, JsonObject, JsonValue } from "../types.js";
import type { ComponentSpec, TraitSpec } from "./read-manifests.js";
import type { NodePath, YamlDocument } from "./yaml-file.js";

/** One place an Application is deployed to: a `deploy` step with its policies. */
export interface EnvironmentPlan {
  /** The deploy step's name (for env-binding, the env's name). */
  name: string;
  namespace: string;
  components: ComponentSpec[];
}

/** A `canary-rollout` workflow step: the weights it gives the first component's revisions. */
export interface CanaryStepPlan {
  name: string;
  /** The `suspend` steps since the previous canary step: manual gates before this one. */
  gates: string[];
  targets: { revision: string; weight: number }[];
  path: NodePath;
}

export interface ApplicationPlan {
  /** Undefined: no topology, override or env-binding policy; the Application renders once, as written. */
  environments?: EnvironmentPlan[];
  canarySteps: CanaryStepPlan[];
}

interface PatchTrait {
  type: string;
  properties?: JsonObject;
  disable?: boolean;
}

interface PatchComponent {
  name?: string;
  type?: string;
  properties?: JsonObject;
  traits?: PatchTrait[];
}

const patchComponents = {
  type: "array",
  items: {
    type: "object",
    properties: {
      name: { type: "string" },
      type: { type: "string" },
      properties: { type: "object" },
      traits: {
        type: "array",
        items: { type: "object", required: ["type"], properties: { type: { type: "string", minLength: 1 }, properties: { type: "object" }, disable: { type: "boolean" } } },
      },
    },
  },
} as const;

const POLICY_SCHEMAS: Record<string, object> = {
  topology: {
    type: "object",
    properties: {
      clusters: { type: "array", items: { type: "string" } },
      clusterLabelSelector: { type: "object" },
      namespace: { type: "string" },
    },
  },
  override: {
    type: "object",
    properties: { components: patchComponents, selector: { type: "array", items: { type: "string" } } },
  },
  "env-binding": {
    type: "object",
    required: ["envs"],
    properties: {
      envs: {
        type: "array",
        items: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string", minLength: 1 },
            placement: { type: "object", properties: { namespaceSelector: { type: "object", properties: { name: { type: "string" } } } } },
            patch: { type: "object", properties: { components: patchComponents } },
            selector: { type: "object", properties: { components: { type: "array", items: { type: "string" } } } },
          },
        },
      },
    },
  },
};
const POLICY_CHECKS = new Map(Object.entries(POLICY_SCHEMAS).map(([type, schema]) => [type, compileSchema(schema)]));

const canaryRolloutSchema = {
  type: "object",
  required: ["traffic"],
  properties: {
    batchPartition: { type: "integer" },
    traffic: {
      type: "object",
      required: ["weightedTargets"],
      properties: {
        weightedTargets: {
          type: "array",
          minItems: 1,
          items: { type: "object", required: ["revision", "weight"], properties: { revision: { type: "string", minLength: 1 }, weight: { type: "integer" } } },
        },
      },
    },
  },
} as const;
const checkCanaryRollout = compileSchema(canaryRolloutSchema);

/** Workflow steps whose effect on the mesh meshgate does not render: they fail closed. */
const UNMODELLED_STEPS: Readonly<Record<string, string>> = {
  "canary-rollback": "it re-applies an earlier revision's routes",
};

interface Policy {
  name: string;
  type: string;
  properties: JsonObject;
  path: NodePath;
}

/**
 * Reads the policies and the workflow of a valid Application. Problems are diagnostics at
 * their line; a broken policy is left out, and a step naming it renders without it.
 */
export function readApplicationPlan(params: { document: YamlDocument; spec: JsonObject; components: ComponentSpec[]; namespace: string }): { plan: ApplicationPlan; diagnostics: Diagnostic[] } {
  const { document, spec, components, namespace } = params;
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Diagnostic["severity"], message: string, path: NodePath): void => {
    diagnostics.push({ file: document.file, line: document.lineOf(path), severity, message });
  };
  const policies = readPolicies(spec, report);
  const steps = workflowSteps(spec);
  const plan: ApplicationPlan = { canarySteps: readCanarySteps(steps, report) };
  const placement = policies.filter((p) => p.type === "topology" || p.type === "override");
  const envBinding = policies.find((p) => p.type === "env-binding");

  const deploySteps = steps.filter((s) => s.type === "deploy");
  if (deploySteps.length > 0 || placement.length > 0) {
    const byName = new Map(policies.map((p) => [p.name, p]));
    // Without deploy steps KubeVela deploys once per topology policy, with every override policy.
    const overrides = placement.filter((p) => p.type === "override");
    const topologies = placement.filter((p) => p.type === "topology");
    const planned: { name: string; policies: Policy[] }[] = deploySteps.length > 0
      ? deploySteps.map((step) => ({
        name: step.name,
        policies: stringList(step.properties.policies).flatMap((name, i) => {
          const policy = byName.get(name);
          if (!policy) report("error", `deploy step ${step.name} names policy \`${name}\`, which the Application does not define: KubeVela refuses the workflow`, [...step.path, "properties", "policies", i]);
          return policy ? [policy] : [];
        }),
      }))
      : topologies.length > 0
        ? topologies.map((t) => ({ name: `deploy-${t.name}`, policies: [...overrides, t] }))
        : [{ name: "", policies: overrides }];
    // Overrides with no topology and no deploy step: one deployment, unnamed (""), with the overrides merged.
    plan.environments = planned.map((p) => environmentOf({ name: p.name, policies: p.policies, components, namespace, report }));
  } else if (envBinding) {
    plan.environments = envBindingEnvironments({ policy: envBinding, steps, components, namespace, report });
  }
  return { plan, diagnostics };
}

type Report = (severity: Diagnostic["severity"], message: string, path: NodePath) => void;

interface Step {
  name: string;
  type: string;
  properties: JsonObject;
  path: NodePath;
}

function readPolicies(spec: JsonObject, report: Report): Policy[] {
  const out: Policy[] = [];
  const list = Array.isArray(spec.policies) ? spec.policies : [];
  list.forEach((value, i) => {
    const path: NodePath = ["spec", "policies", i];
    if (!isObject(value) || typeof value.type !== "string" || typeof value.name !== "string") {
      report("error", "a policy needs a `name` and a `type`", path);
      return;
    }
    const properties = isObject(value.properties) ? value.properties : {};
    const check = POLICY_CHECKS.get(value.type);
    const issues = check ? check(properties) : [];
    for (const issue of issues) report("error", `invalid ${value.type} policy ${value.name}: ${issue.message}`, [...path, "properties", ...issue.path]);
    if (issues.length > 0) return;
    out.push({ name: value.name, type: value.type, properties, path });
  });
  return out;
}

function workflowSteps(spec: JsonObject): Step[] {
  const workflow = isObject(spec.workflow) ? spec.workflow : {};
  const list = Array.isArray(workflow.steps) ? workflow.steps : [];
  return list.flatMap((value, i): Step[] => {
    if (!isObject(value) || typeof value.type !== "string") return [];
    return [{ name: typeof value.name === "string" ? value.name : `step-${i}`, type: value.type, properties: isObject(value.properties) ? value.properties : {}, path: ["spec", "workflow", "steps", i] }];
  });
}

function readCanarySteps(steps: Step[], report: Report): CanaryStepPlan[] {
  const out: CanaryStepPlan[] = [];
  let gates: string[] = [];
  for (const step of steps) {
    if (step.type === "suspend") {
      gates.push(step.name);
      continue;
    }
    const unmodelled = UNMODELLED_STEPS[step.type];
    if (unmodelled !== undefined) {
      report("error", `workflow step ${step.name} (${step.type}) is not modelled by meshgate: ${unmodelled}, which cannot be judged`, [...step.path, "type"]);
      continue;
    }
    if (step.type !== "canary-rollout") continue;
    const props = structuredClone(step.properties);
    const issues = checkCanaryRollout(props);
    for (const issue of issues) report("error", `invalid canary-rollout step ${step.name}: ${issue.message}`, [...step.path, "properties", ...issue.path]);
    if (issues.length > 0) continue;
    const targets = (props as unknown as { traffic: { weightedTargets: { revision: string; weight: number }[] } }).traffic.weightedTargets;
    out.push({ name: step.name, gates, targets: targets.map((t) => ({ revision: t.revision, weight: t.weight })), path: step.path });
    gates = [];
  }
  return out;
}

function environmentOf(params: { name: string; policies: Policy[]; components: ComponentSpec[]; namespace: string; report: Report }): EnvironmentPlan {
  const { name, policies, namespace, report } = params;
  let components = params.components;
  let envNamespace: string | undefined;
  for (const policy of policies) {
    if (policy.type === "topology") {
      const ns = policy.properties.namespace;
      if (typeof ns === "string" && ns !== "") {
        if (envNamespace !== undefined && envNamespace !== ns) {
          report("warning", `topology policy ${policy.name} deploys to namespace ${ns}, another topology of step ${name} to ${envNamespace}: meshgate renders the first`, [...policy.path, "properties", "namespace"]);
        } else envNamespace = ns;
      }
    } else if (policy.type === "override") {
      const patches = (policy.properties.components ?? []) as unknown as PatchComponent[];
      components = patchComponentList({ base: components, patches, patchPath: [...policy.path, "properties", "components"], selector: stringList(policy.properties.selector) });
    }
  }
  return { name, namespace: envNamespace ?? namespace, components };
}

function envBindingEnvironments(params: { policy: Policy; steps: Step[]; components: ComponentSpec[]; namespace: string; report: Report }): EnvironmentPlan[] {
  const { policy, steps, components, namespace, report } = params;
  const envs = (policy.properties.envs ?? []) as unknown as { name: string; placement?: { namespaceSelector?: { name?: string } }; patch?: { components?: PatchComponent[] }; selector?: { components?: string[] } }[];
  const targeted = steps.filter((s) => s.type === "deploy2env" && s.properties.policy === policy.name);
  // Without deploy2env steps, KubeVela deploys every env of the policy.
  const chosen = targeted.length > 0
    ? targeted.flatMap((step) => {
      const index = envs.findIndex((e) => e.name === step.properties.env);
      if (index < 0) report("error", `deploy2env step ${step.name} names env \`${JSON.stringify(step.properties.env ?? null)}\`, which policy ${policy.name} does not define`, [...step.path, "properties", "env"]);
      return index < 0 ? [] : [index];
    })
    : envs.map((_, i) => i);
  return chosen.map((i) => {
    const env = envs[i];
    if (!env) return { name: "", namespace, components };
    const envPath: NodePath = [...policy.path, "properties", "envs", i];
    return {
      name: env.name,
      namespace: env.placement?.namespaceSelector?.name ?? namespace,
      components: patchComponentList({ base: components, patches: env.patch?.components ?? [], patchPath: [...envPath, "patch", "components"], selector: env.selector?.components ?? [] }),
    };
  });
}

/**
 * KubeVela's PatchComponents: a patch without a name merges into every component (of its type,
 * if given); a name is a pattern (`*` is any text, and like Go's regexp it matches anywhere in
 * the name); a matched component of another type is replaced; a name that matches none adds a
 * component. A selector then keeps only the components it lists.
 */
function patchComponentList(params: { base: ComponentSpec[]; patches: PatchComponent[]; patchPath: NodePath; selector: string[] }): ComponentSpec[] {
  let components = params.base.map((c) => ({ ...c }));
  params.patches.forEach((patch, p) => {
    const path: NodePath = [...params.patchPath, p];
    if (patch.name === undefined || patch.name === "") {
      components = components.map((c) => (patch.type === undefined || patch.type === "" || patch.type === c.type ? mergeComponent(c, patch, path) : c));
      return;
    }
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(patch.name.replaceAll("*", ".*"));
    } catch {
      pattern = undefined;
    }
    const re = pattern;
    const matched = re !== undefined && components.some((c) => re.test(c.name));
    if (re) {
      components = components.map((c) => {
        if (!re.test(c.name)) return c;
        if (patch.type !== undefined && patch.type !== "" && patch.type !== c.type) return componentFromPatch({ ...patch, name: c.name }, path);
        return mergeComponent(c, patch, path);
      });
    }
    if (!matched && /[a-z]([a-z-]{0,61}[a-z])?/.test(patch.name)) components.push(componentFromPatch(patch, path));
  });
  if (params.selector.length > 0) components = components.filter((c) => params.selector.includes(c.name));
  return components;
}

function componentFromPatch(patch: PatchComponent, path: NodePath): ComponentSpec {
  return {
    name: patch.name ?? "",
    type: patch.type ?? "",
    properties: patch.properties ?? {},
    path,
    traits: (patch.traits ?? []).filter((t) => t.disable !== true).map((t, i) => ({ type: t.type, properties: t.properties ?? {}, path: [...path, "traits", i] })),
  };
}

/** KubeVela's MergeComponent: properties merged, traits merged by type or appended, `disable: true` removes one. */
function mergeComponent(base: ComponentSpec, patch: PatchComponent, path: NodePath): ComponentSpec {
  const traits: TraitSpec[] = base.traits.map((t) => ({ ...t }));
  (patch.traits ?? []).forEach((trait, i) => {
    const at = traits.findIndex((t) => t.type === trait.type);
    const tpath: NodePath = [...path, "traits", i];
    if (at >= 0) {
      const existing = traits[at];
      if (!existing) return;
      if (trait.disable === true) traits.splice(at, 1);
      // The override is what the reviewer edits: the merged trait is located there.
      else traits[at] = { type: existing.type, properties: mergeProperties(existing.properties, trait.properties ?? {}), path: tpath };
    } else if (trait.disable !== true) {
      traits.push({ type: trait.type, properties: trait.properties ?? {}, path: tpath });
    }
  });
  return { ...base, properties: mergeProperties(base.properties, patch.properties ?? {}), traits };
}

/**
 * mergo.Merge(base, patch, WithOverride), which KubeVela merges properties with: maps merge
 * key by key, everything else (lists included) is replaced; an empty value in the patch
 * (false, 0, "", an empty list or map, null) is skipped and leaves the base value in place.
 */
export function mergeProperties(base: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || isEmpty(value)) continue;
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeProperties(current, value) : value;
  }
  return out;
}

function isEmpty(value: JsonValue): boolean {
  if (value === null || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
