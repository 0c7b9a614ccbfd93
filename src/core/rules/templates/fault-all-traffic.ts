import type { JsonValue } from "../../types.js";
import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { stableKey } from "../stable-key.js";

/**
 * VirtualService HTTP routes that inject a fault (abort or delay) into every request they
 * receive: the route matches everything (no `match`, or a match condition that any request
 * meets: empty, or only `uri.prefix: /`) and the fault applies to 100% (Istio's default when no
 * `percentage` is given). For the requests that reach it, the service is down or stalled.
 */
export const faultAllTraffic = defineTemplate<Record<string, never>>({
  name: "fault-all-traffic",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    const drafts: FindingDraft[] = [];
    for (const vs of index.ofKind("VirtualService")) {
      asArray(at(vs.object.spec, "http")).forEach((route, i) => {
        if (!matchesEverything(route)) return;
        for (const kind of ["abort", "delay"] as const) {
          const fault = at(route, "fault", kind);
          if (fault === undefined || fault === null) continue;
          const percentage = at(fault, "percentage", "value");
          if (typeof percentage === "number" && percentage < 100) continue;
          const name = at(route, "name");
          drafts.push({
            resource: vs,
            key: `http/${typeof name === "string" ? name : stableKey(at(route, "match") ?? null)}/fault/${kind}`,
            pointer: `/spec/http/${i}/fault/${kind}`,
            values: {
              virtualService: `${vs.object.metadata.namespace ?? ""}/${vs.object.metadata.name}`,
              route: typeof name === "string" ? name : `#${i}`,
              fault: kind === "abort" ? `aborts every request (${describe(at(fault, "httpStatus") ?? at(fault, "grpcStatus"))})` : `delays every request by ${describe(at(fault, "fixedDelay"))}`,
            },
          });
        }
      });
    }
    return drafts;
  },
});

function matchesEverything(route: JsonValue): boolean {
  const match = asArray(at(route, "match"));
  return match.length === 0 || match.some((m) => {
    const keys = Object.keys(m !== null && typeof m === "object" && !Array.isArray(m) ? m : {}).filter((k) => k !== "name");
    if (keys.length === 0) return true;
    return keys.length === 1 && keys[0] === "uri" && at(m, "uri", "prefix") === "/";
  });
}

function describe(value: JsonValue | undefined): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "?";
}
