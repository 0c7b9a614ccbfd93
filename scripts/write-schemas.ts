// Writes the published JSON Schemas (schemas/*.json) from the schemas the core validates with,
// so that editors can complete `.github/meshgate.yml`. Run `npm run schemas` after changing one.
import { writeFileSync } from "node:fs";
import { schemaDocuments } from "../src/core/schema-documents.js";

for (const [path, text] of schemaDocuments()) writeFileSync(new URL(`../${path}`, import.meta.url), text);
