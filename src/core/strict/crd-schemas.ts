/** A CRD version's OpenAPI schema, by `group/version/Kind`, as the API server serves it. */
export type CrdSchemaTable = Record<string, object>;

/**
 * The served versions' `openAPIV3Schema` of a bundle of CustomResourceDefinitions (parsed
 * documents), descriptions left out: they are documentation, not validation, and are most of
 * the bundle's size. Keys are sorted so that the table's text is stable.
 */
export function crdSchemas(documents: readonly unknown[]): CrdSchemaTable {
  const table: CrdSchemaTable = {};
  for (const document of documents) {
    const crd = document as { kind?: unknown; spec?: { group?: unknown; names?: { kind?: unknown }; versions?: unknown } } | null;
    if (crd?.kind !== "CustomResourceDefinition" || typeof crd.spec?.group !== "string" || typeof crd.spec.names?.kind !== "string" || !Array.isArray(crd.spec.versions)) continue;
    for (const version of crd.spec.versions as { name?: unknown; served?: unknown; schema?: { openAPIV3Schema?: unknown } }[]) {
      if (version.served !== true || typeof version.name !== "string" || typeof version.schema?.openAPIV3Schema !== "object") continue;
      table[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = withoutDescriptions(version.schema.openAPIV3Schema) as object;
    }
  }
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function withoutDescriptions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps field names to schemas: a field may be called `description`.
    if (key === "properties" && value !== null && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, withoutDescriptions(sub)]));
    } else if (key !== "description") {
      out[key] = withoutDescriptions(value);
    }
  }
  return out;
}
