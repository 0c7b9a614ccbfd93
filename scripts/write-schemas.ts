// Writes schemas/meshgate.schema.json from the schema the core validates with, so that
// editors can complete `.github/meshgate.yml`. Run `npm run schemas` after changing it.
import { writeFileSync } from "node:fs";
import { configSchemaDocument } from "../src/core/config/schema-document.js";

writeFileSync(new URL("../schemas/meshgate.schema.json", import.meta.url), configSchemaDocument());
