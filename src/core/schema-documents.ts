import { configSchema } from "./schema.js";

/** The published JSON Schema file's exact text (generated; see scripts/write-schemas.ts). */
export function configSchemaDocument(): string {
  return `${JSON.stringify({ $comment: "Generated from src/core/config/schema.ts by `npm run schemas`; do not edit.", ...configSchema }, null, 2)}\n`;
}
