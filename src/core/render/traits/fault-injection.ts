import type { Fault } from "../component-mesh.js";
import { defineTrait } from "../trait.js";
import { durationSchema, headersSchema, type Headers } from "./shared-schemas.js";

interface FaultInjectionProps {
  match: { headers: Headers };
  delay?: { fixedDelay: string; percent: number };
  abort?: { httpStatus: number; percent: number };
}

// Of the matched requests; the match already narrows the fault to test traffic.
const percent = { type: "number", minimum: 0, maximum: 100, default: 100 } as const;

export const faultInjection = defineTrait<FaultInjectionProps>({
  type: "fault-injection",
  schema: {
    type: "object",
    additionalProperties: false,
    // Without a match the fault rule would take every request and shadow the routes after it.
    required: ["match"],
    properties: {
      match: {
        type: "object",
        additionalProperties: false,
        required: ["headers"],
        properties: { headers: headersSchema },
      },
      delay: {
        type: "object",
        additionalProperties: false,
        required: ["fixedDelay"],
        properties: { fixedDelay: durationSchema, percent },
      },
      abort: {
        type: "object",
        additionalProperties: false,
        required: ["httpStatus"],
        // Envoy aborts only with a status in [200, 600).
        properties: { httpStatus: { type: "integer", minimum: 200, maximum: 599 }, percent },
      },
    },
    not: { properties: { delay: false, abort: false } },
    description: "give delay, abort or both",
  },
  render({ props, mesh, trait }) {
    const value: Fault = {
      headers: props.match.headers,
      ...(props.delay ? { delay: props.delay } : {}),
      ...(props.abort ? { abort: props.abort } : {}),
    };
    mesh.fault = { value, by: trait };
  },
});
