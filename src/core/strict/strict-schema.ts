type Schema = Record<string, unknown>;

// The JSON Schema keywords a structural CRD schema may use for validation, kept as they are.
const KEPT = new Set([
  "type", "required", "enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
]);

/**
 * The JSON Schema that validates what the API server validates of a CRD version's
 * `openAPIV3Schema`, with unknown fields rejected as `kubectl apply` (strict field validation)
 * rejects them: wherever `properties` is given, and neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields` says otherwise, `additionalProperties: false`.
 *
 * Also as Kubernetes applies them: `x-kubernetes-int-or-string` is an integer or a string;
 * `nullable` is left to the caller, which drops null fields first (the API server prunes them);
 * `default` is not applied (the object is judged as written); `x-kubernetes-validations` (CEL)
 * are evaluated apart (see cel-rule.ts), and the other `x-kubernetes-*` keys (list types,
 * embedded resources) do not validate a single document.
 */
export function strictSchema(openApi: unknown): Schema {
  const root = derive(openApi, false);
  // Every object has these; the API server checks metadata itself (ObjectMeta), not the CRD.
  const properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...(root.properties as Schema | undefined) };
  return { ...root, type: "object", properties, additionalProperties: root.additionalProperties ?? false };
}

/** In `oneOf`/`anyOf`/`allOf`/`not` (`inJunctor`), `properties` only constrain values: unknown fields are the parent's to reject. */
function derive(openApi: unknown, inJunctor: boolean): Schema {
  if (openApi === null || typeof openApi !== "object" || Array.isArray(openApi)) return {};
  const source = openApi as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (KEPT.has(key)) out[key] = value;
  }
  const preserve = source["x-kubernetes-preserve-unknown-fields"] === true;
  if (source["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    if (source.anyOf === undefined) out.type = ["integer", "string"];
  }
  const properties = source.properties;
  if (properties !== null && typeof properties === "object") {
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, derive(sub, inJunctor)]));
  }
  const additional = source.additionalProperties;
  if (typeof additional === "boolean") out.additionalProperties = additional;
  else if (additional !== null && typeof additional === "object") out.additionalProperties = derive(additional, inJunctor);
  else if (properties !== undefined && !preserve && !inJunctor) out.additionalProperties = false;
  if (source.items !== undefined) out.items = derive(source.items, inJunctor);
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const list = source[key];
    if (Array.isArray(list)) out[key] = list.map((sub) => derive(sub, true));
  }
  if (source.not !== undefined) out.not = derive(source.not, true);
  return out;
}
