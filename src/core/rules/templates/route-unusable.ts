import { durationMilliseconds } from "../../schema-check.js";
import type { JsonValue } from "../../types.js";
import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface RouteUnusableParams {
  /** A route (or per-try) timeout below this fails requests before any real service answers. */
  minimumTimeout: string;
  /** More attempts than this turn one failing request into a storm against the service. */
  maximumAttempts: number;
  /** An outlier detection that may eject this share of the hosts (or more) can eject them all. */
  maximumEjectionPercent: number;
}

/**
 * Settings that make a route unusable, or let it fail entirely: an HTTP route `timeout` or
 * `retries.perTryTimeout` so short that no service answers in time, a retry budget that
 * multiplies every failure into a storm, and an outlier detection (at any level of a
 * DestinationRule) allowed to eject every host, which leaves none to serve.
 */
export const routeUnusable = defineTemplate<RouteUnusableParams>({
  name: "route-unusable",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["minimumTimeout", "maximumAttempts", "maximumEjectionPercent"],
    properties: {
      minimumTimeout: { type: "string", format: "istio-duration" },
      maximumAttempts: { type: "integer", minimum: 1 },
      maximumEjectionPercent: { type: "integer", minimum: 1, maximum: 100 },
    },
  },
  check({ index }, params) {
    const minimum = durationMilliseconds(params.minimumTimeout) ?? 0;
    const drafts: FindingDraft[] = [];
    for (const vs of index.ofKind("VirtualService")) {
      const name = `VirtualService ${vs.object.metadata.namespace ?? ""}/${vs.object.metadata.name}`;
      asArray(at(vs.object.spec, "http")).forEach((route, i) => {
        const routeName = at(route, "name");
        const label = typeof routeName === "string" ? routeName : `#${i}`;
        const short = (field: string, value: JsonValue | undefined, pointer: string): void => {
          if (typeof value !== "string") return;
          const ms = durationMilliseconds(value);
          if (ms === undefined || ms >= minimum) return;
          // Istio 1.30 validates both durations as at least 1ms: `0s` is refused, it does not
          // disable the timeout (no timeout is written by leaving the field out).
          const what = ms < 1 ? `${field} ${value} is below Istio's 1ms minimum (0s does not disable a timeout): the API server rejects the VirtualService` : `${field} ${value} is below ${params.minimumTimeout}: requests fail before the service can answer`;
          drafts.push({ resource: vs, key: `http[${label}].${field}`, value: { text: value }, pointer, values: { resource: name, where: `route ${label}`, what } });
        };
        short("timeout", at(route, "timeout"), `/spec/http/${i}/timeout`);
        short("retries.perTryTimeout", at(route, "retries", "perTryTimeout"), `/spec/http/${i}/retries/perTryTimeout`);
        const attempts = at(route, "retries", "attempts");
        if (typeof attempts === "number" && attempts > params.maximumAttempts) {
          drafts.push({ resource: vs, key: `http[${label}].retries.attempts`, value: { text: String(attempts), rank: attempts }, pointer: `/spec/http/${i}/retries/attempts`, values: { resource: name, where: `route ${label}`, what: `${attempts} retry attempts (more than ${params.maximumAttempts}) multiply every failure into a retry storm` } });
        }
      });
    }
    for (const dr of index.ofKind("DestinationRule")) {
      const name = `DestinationRule ${dr.object.metadata.namespace ?? ""}/${dr.object.metadata.name}`;
      for (const { policy, path, pointer } of trafficPolicies(dr.object.spec)) {
        const percent = at(policy, "outlierDetection", "maxEjectionPercent");
        if (typeof percent !== "number" || percent < params.maximumEjectionPercent) continue;
        drafts.push({ resource: dr, key: `${path}.outlierDetection.maxEjectionPercent`, value: { text: String(percent), rank: percent }, pointer: `${pointer}/outlierDetection/maxEjectionPercent`, values: { resource: name, where: path, what: `outlier detection may eject ${percent}% of the hosts: none may be left to serve` } });
      }
    }
    return drafts;
  },
});

/** The traffic policies of a DestinationRule: top level, per port, and the same in each subset. */
function trafficPolicies(spec: JsonValue | undefined): { policy: JsonValue; path: string; pointer: string }[] {
  const levels = [{ policy: at(spec, "trafficPolicy"), path: "trafficPolicy", pointer: "/spec/trafficPolicy" }];
  asArray(at(spec, "subsets")).forEach((subset, i) => {
    const name = at(subset, "name");
    levels.push({ policy: at(subset, "trafficPolicy"), path: `subsets[${typeof name === "string" ? name : `#${i}`}].trafficPolicy`, pointer: `/spec/subsets/${i}/trafficPolicy` });
  });
  return levels.flatMap((level) => [
    ...(level.policy !== undefined ? [{ policy: level.policy, path: level.path, pointer: level.pointer }] : []),
    ...asArray(at(level.policy, "portLevelSettings")).map((setting, j) => {
      const number = at(setting, "port", "number");
      return { policy: setting, path: `${level.path}.portLevelSettings[${typeof number === "number" ? `port=${String(number)}` : `#${j}`}]`, pointer: `${level.pointer}/portLevelSettings/${j}` };
    }),
  ]);
}
