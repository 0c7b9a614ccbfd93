import { reviewsSchema } from "./owners/reviews-file.js";
import { configSchema } from "./config/schema.js";

/** The published JSON Schema files, by path, with their exact text (generated; see scripts/write-schemas.ts). */
export function schemaDocuments(): Map<string, string> {
  const document = (schema: object, source: string): string =>
    `${JSON.stringify({ $comment: `Generated from ${source} by \`npm run schemas\`; do not edit.`, ...schema }, null, 2)}\n`;
  return new Map([
    ["schemas/meshgate.schema.json", document(configSchema, "src/core/config/schema.ts")],
    ["schemas/reviews.schema.json", document(reviewsSchema, "src/core/owners/reviews-file.ts")],
  ]);
}
