import type { Resilience } from "../component-mesh.js";
import { defineTrait } from "../trait.js";
import { durationSchema } from "./shared-schemas.js";

export const httpResilience = defineTrait<Resilience>({
  type: "http-resilience",
  schema: {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    description: "set timeout, retries or both",
    properties: {
      timeout: durationSchema,
      retries: {
        type: "object",
        additionalProperties: false,
        required: ["attempts"],
        properties: {
          // attempts: 0 disables retries; leaving retries out keeps Istio's default of 2.
          attempts: { type: "integer", minimum: 0, maximum: 100 },
          perTryTimeout: durationSchema,
          retryOn: { type: "string", pattern: "^[a-z0-9-]+(,[a-z0-9-]+)*$" },
        },
      },
    },
  },
  render({ props, mesh, trait }) {
    mesh.resilience = { value: props, by: trait };
  },
});
