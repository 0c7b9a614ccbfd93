import type { StringMatch } from "../component-mesh.js";

/** Istio's StringMatch: exactly one of exact, prefix, regex. */
export const stringMatchSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  description: "one of exact, prefix or regex",
  properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
} as const;

/** Request headers to match, by name (lower case, as Istio requires). */
export const headersSchema = {
  type: "object",
  minProperties: 1,
  propertyNames: { pattern: "^[a-z0-9-]+$" },
  additionalProperties: stringMatchSchema,
} as const;

export type Headers = Record<string, StringMatch>;

/** An Istio duration: 250ms, 5s, 1m, 1h; at least 1ms, in whole milliseconds (see schema-check). */
export const durationSchema = { type: "string", format: "istio-duration" } as const;
