#!/usr/bin/env node
// Validates the Istio objects that `meshgate render` prints against strict CRD schemas (one JSON
// Schema per kind and version, unknown fields rejected), which catch what the model validators
// let through. The CEL rules (x-kubernetes-validations) are not evaluated.
// Usage: node scripts/check-istio-schemas.mjs SCHEMA_DIR DIR…
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";

const [schemaDir, ...dirs] = process.argv.slice(2);
if (!schemaDir || dirs.length === 0) {
  console.error("usage: node scripts/check-istio-schemas.mjs SCHEMA_DIR DIR…");
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validators = new Map();
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".json"))) {
  const schema = JSON.parse(readFileSync(join(schemaDir, file), "utf8"));
  const apiVersion = schema.properties?.apiVersion?.enum?.[0];
  const kind = schema.properties?.kind?.enum?.[0];
  if (apiVersion && kind) validators.set(`${apiVersion}/${kind}`, ajv.compile(schema));
}
const cli = new URL("../bin/meshgate.js", import.meta.url).pathname;
let passed = 0;
let failed = 0;
for (const dir of dirs) {
  const run = spawnSync(process.execPath, [cli, "render", dir, "--format", "json"], { encoding: "utf8" });
  if (run.status !== 0) {
    console.log(`FAIL ${dir}: render exited ${run.status}\n${run.stderr}`);
    failed++;
    continue;
  }
  for (const resource of JSON.parse(run.stdout).resources) {
    // Provenance is meshgate's, not part of the object Istio sees.
    const { source, ...object } = resource;
    delete object.sources;
    const validate = validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validate) continue;
    const where = `${object.kind} ${object.metadata.namespace}/${object.metadata.name} (${source.file}:${source.line})`;
    if (validate(object)) passed++;
    else {
      failed++;
      console.log(`FAIL ${where}: ${ajv.errorsText(validate.errors)}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
