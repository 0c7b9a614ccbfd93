import { parseAllDocuments } from "yaml";
import { crdSchemas } from "./crd-schemas.js";

/** Where the vendored Istio CRD bundle lives, relative to the repository: one folder per release. */
export const ISTIO_BUNDLE_PATH = (release: string): string => `vendor/istio/${release}/crd-all.gen.yaml`;

/**
 * The text of `istio-crd-schemas.gen.ts`: the bundle's schemas as one JSON string, parsed on
 * first use only, so that a render without raw Istio documents does not pay for it (and the
 * type checker does not infer a type for a megabyte of schema).
 */
export function istioSchemasModule(params: { release: string; bundleText: string }): string {
  const documents = parseAllDocuments(params.bundleText).map((d) => d.toJS() as unknown);
  const json = JSON.stringify(crdSchemas(documents));
  return [
    `// Generated from ${ISTIO_BUNDLE_PATH(params.release)} by \`npm run generate\`; do not edit.`,
    "",
    "/** The Istio release whose CRD schemas meshgate validates against. */",
    `export const ISTIO_RELEASE = ${JSON.stringify(params.release)};`,
    "",
    "/** Its CRDs' served versions' openAPIV3Schema (descriptions left out), by `group/version/Kind`, as JSON. */",
    `export const ISTIO_CRD_SCHEMAS_JSON = ${JSON.stringify(json)};`,
    "",
  ].join("\n");
}
