import type { JsonObject } from "../../../types.js";
import { defineTrait } from "../../trait.js";

interface KruiseRolloutProps {
  auto: boolean;
  releaseMode?: "canary" | "batch";
  canary: {
    steps: { weight?: number; replicas?: number | string; duration?: number; matches?: unknown[] }[];
    trafficRoutings?: { service?: string; gracePeriodSeconds: number; ingressName?: string; gatewayHTTPRouteName?: string; type: "ingress" | "gateway" }[];
  };
  workloadType?: { apiVersion: string; kind: string };
  stepPartition?: number;
}

/** The workload kind of the component types meshgate renders (context.output of the definition). */
const WORKLOADS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  webservice: { apiVersion: "apps/v1", kind: "Deployment" },
  worker: { apiVersion: "apps/v1", kind: "Deployment" },
};

/**
 * The kruise-rollout addon's trait, as kubevela/catalog addons/kruise-rollout/definitions/kruise-rollout.cue
 * renders it: Rollout C (rollouts.kruise.io/v1alpha1) whose canary steps shift the weight of
 * the Ingress or the Gateway API HTTPRoute it names (C unless named) to the canary pods.
 */
export const kruiseRollout = defineTrait<KruiseRolloutProps>({
  type: "kruise-rollout",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["canary"],
    properties: {
      auto: { type: "boolean", default: false },
      releaseMode: { type: "string", enum: ["canary", "batch"] },
      canary: {
        type: "object",
        additionalProperties: false,
        required: ["steps"],
        properties: {
          steps: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: { weight: { type: "integer", minimum: 0, maximum: 100 }, replicas: { type: ["integer", "string"] }, duration: { type: "integer" }, matches: { type: "array" } },
            },
          },
          trafficRoutings: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              properties: {
                service: { type: "string" },
                gracePeriodSeconds: { type: "integer", default: 5 },
                ingressName: { type: "string" },
                gatewayHTTPRouteName: { type: "string" },
                type: { type: "string", enum: ["ingress", "gateway"], default: "ingress" },
              },
            },
          },
        },
      },
      workloadType: { type: "object", additionalProperties: false, required: ["apiVersion", "kind"], properties: { apiVersion: { type: "string" }, kind: { type: "string" } } },
      stepPartition: { type: "integer" },
    },
  },
  render({ props, component, emit, report }) {
    const workload = props.workloadType ?? WORKLOADS[component.type];
    if (!workload) {
      report("error", `the Rollout targets the component's workload, and meshgate does not know the workload of type \`${component.type}\`: give \`workloadType\``);
      return;
    }
    const withMatches = props.canary.steps.findIndex((s) => s.matches !== undefined);
    if (withMatches >= 0) {
      // The definition declares Type/Name/Value and reads type/name/value: CUE fails on the undefined fields.
      report("error", "the definition reads `type`, `name` and `value` of each header but declares `Type`, `Name` and `Value`: KubeVela fails to render a step with `matches`", ["canary", "steps", withMatches, "matches"]);
      return;
    }
    const pause = (index: number, duration: number | undefined): JsonObject => {
      if (props.auto) return { duration: 0 };
      if (props.stepPartition !== undefined) return index <= props.stepPartition - 1 ? { duration: 0 } : {};
      return duration !== undefined ? { duration } : {};
    };
    const routings = props.canary.trafficRoutings;
    emit({
      apiVersion: "rollouts.kruise.io/v1alpha1",
      kind: "Rollout",
      metadata: {
        name: component.name,
        namespace: component.namespace,
        ...(props.releaseMode === "batch" ? { annotations: { "rollouts.kruise.io/rolling-style": "partition" } } : {}),
      },
      spec: {
        objectRef: { workloadRef: { apiVersion: workload.apiVersion, kind: workload.kind, name: component.name } },
        strategy: {
          canary: {
            steps: props.canary.steps.map((step, i) => ({
              ...(step.weight !== undefined ? { weight: step.weight } : {}),
              ...(step.replicas !== undefined ? { replicas: step.replicas } : {}),
              pause: pause(i, step.duration),
            })),
            ...(routings
              ? {
                trafficRoutings: routings.map((r) => ({
                  service: r.service ?? component.name,
                  gracePeriodSeconds: r.gracePeriodSeconds,
                  ...(r.type === "ingress" ? { ingress: { name: r.ingressName ?? component.name } } : { gateway: { httpRouteName: r.gatewayHTTPRouteName ?? component.name } }),
                })),
              }
              : {}),
          },
        },
      },
    });
  },
});
