import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** GitHub's REST description as shipped by @octokit/openapi (OpenAPI 3.0). */
interface OpenApiOperation {
  operationId?: string;
  externalDocs?: { url?: string };
  "x-github"?: { category?: string; subcategory?: string };
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> } | undefined>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
}

export interface RestOperation {
  method: string;
  /** The templated path, e.g. "/repos/{owner}/{repo}/check-runs". */
  template: string;
  operationId: string;
  documentationUrl: string;
}

const require = createRequire(import.meta.url);
let document: OpenApiDocument | undefined;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, logger: false });
const validators = new Map<string, ValidateFunction | null>();

/** Read once per process: the file is 13 MB. */
function description(): OpenApiDocument {
  document ??= JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8")) as OpenApiDocument;
  return document;
}

/** GitHub's answers link https://docs.github.com/rest/<category>/<subcategory>#<operation>; some links of the description still use /rest/reference. */
function documentationUrl(operation: OpenApiOperation): string {
  const url = operation.externalDocs?.url ?? "https://docs.github.com/rest";
  const { category, subcategory } = operation["x-github"] ?? {};
  const anchor = url.split("#")[1];
  return category && subcategory && anchor ? `https://docs.github.com/rest/${category}/${subcategory}#${anchor}` : url;
}

export function restOperation(method: string, template: string): RestOperation | undefined {
  const operation = description().paths[template]?.[method.toLowerCase()];
  if (!operation) return undefined;
  return {
    method: method.toUpperCase(),
    template,
    operationId: operation.operationId ?? "",
    documentationUrl: documentationUrl(operation),
  };
}

/** The operation of GitHub's REST API a concrete path (no query) belongs to, if any. */
export function matchRestOperation(method: string, path: string): RestOperation | undefined {
  const verb = method.toLowerCase();
  const segments = path.split("/");
  let best: { template: string; literals: number } | undefined;
  for (const [template, operations] of Object.entries(description().paths)) {
    if (!operations[verb]) continue;
    const parts = template.split("/");
    if (parts.length !== segments.length) continue;
    let literals = 0;
    const fits = parts.every((part, i) => {
      if (part === segments[i]) return ++literals > 0;
      return /^\{[^}]+\}$/.test(part) && segments[i] !== "";
    });
    if (fits && (!best || literals > best.literals)) best = { template, literals };
  }
  return best && restOperation(method, best.template);
}

/**
 * The schema with every local $ref it reaches copied into `definitions`, so ajv compiles only
 * what one operation needs instead of the whole document. $ref siblings are dropped, as
 * OpenAPI 3.0 ignores them.
 */
function selfContained(schema: unknown): object {
  const root = description() as unknown as Record<string, unknown>;
  const names = new Map<string, string>();
  const definitions: Record<string, unknown> = {};
  const pending: string[] = [];
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== "object") return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      let name = names.get(ref);
      if (name === undefined) {
        name = `d${names.size}`;
        names.set(ref, name);
        pending.push(ref);
      }
      return { $ref: `#/definitions/${name}` };
    }
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, rewrite(value)]));
    return out.nullable === true ? nullable(out) : out;
  };
  const top = rewrite(schema) as Record<string, unknown>;
  while (pending.length > 0) {
    const ref = pending.shift() ?? "";
    let target: unknown = root;
    for (const part of ref.slice(2).split("/")) {
      target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    if (target === undefined) throw new Error(`GitHub's REST description has no ${ref}`);
    definitions[names.get(ref) ?? ""] = rewrite(target);
  }
  return { ...top, definitions };
}

/**
 * OpenAPI 3.0's `nullable: true` in JSON Schema terms: null joins the type (and the enum), or,
 * without a type (oneOf, anyOf), the schema becomes "that or null".
 */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...schema };
  delete rest.nullable;
  if (typeof rest.type === "string") {
    const out: Record<string, unknown> = { ...rest, type: [rest.type, "null"] };
    if (Array.isArray(rest.enum)) out.enum = [...(rest.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [rest, { type: "null" }] };
}

function compiled(key: string, schema: unknown): ValidateFunction | null {
  if (!validators.has(key)) validators.set(key, schema === undefined ? null : ajv.compile(selfContained(schema)));
  return validators.get(key) ?? null;
}

/** The validator of an operation's application/json request body; null when it takes none. */
export function requestBodyValidator(method: string, template: string): { validate: ValidateFunction; required: boolean } | null {
  const requestBody = description().paths[template]?.[method.toLowerCase()]?.requestBody;
  const validate = compiled(`request ${method} ${template}`, requestBody?.content?.["application/json"]?.schema);
  return validate && { validate, required: requestBody?.required === true };
}

/** The validator of an operation's application/json response for a status; null when the description has none. */
export function responseValidator(method: string, template: string, status: number): ValidateFunction | null {
  const response = description().paths[template]?.[method.toLowerCase()]?.responses?.[String(status)];
  return compiled(`response ${method} ${template} ${status}`, response?.content?.["application/json"]?.schema);
}

/** A value as GitHub's (Ruby) messages print it: nil, "text", 42, {"a" => 1}. */
function inspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return `[${value.map(inspect).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} => ${inspect(v)}`).join(", ")}}`;
  const text = typeof value === "string" ? JSON.stringify(value) : typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "/output/annotations/0/path" → "properties/output/properties/annotations/items/properties/path". */
function schemaLocation(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? "items" : `properties/${part.replace(/~1/g, "/").replace(/~0/g, "~")}`))
    .join("/");
}

function sentence(error: ErrorObject, body: unknown): string {
  const where = schemaLocation(error.instancePath);
  let value: unknown = body;
  for (const part of error.instancePath.split("/").slice(1)) value = (value as Record<string, unknown> | undefined)?.[part];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${JSON.stringify(params.missingProperty)} wasn't supplied.`;
    case "type": {
      const types = String(params.type).split(",");
      const named = types.map((t) => (t === "null" ? "null" : `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`)).join(" or ");
      return `For '${where || "body"}', ${inspect(value)} is not ${named}.`;
    }
    case "enum":
      return `For '${where}', ${inspect(value)} is not a member of [${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}].`;
    case "maxLength":
      return `For '${where}', the string is longer than ${String(params.limit)} characters.`;
    case "maxItems":
      return `For '${where}', the array has more than ${String(params.limit)} items.`;
    case "anyOf":
    case "oneOf":
      return `For '${where || "body"}', no subschema in "${error.keyword}" matched.`;
    default:
      return `For '${where || "body"}', ${inspect(value)} ${error.message ?? "is invalid"}.`;
  }
}

/** GitHub's 422 message for a body its schema refuses: "Invalid request.\n\n<one line per problem>". */
export function invalidRequestMessage(errors: readonly ErrorObject[], body: unknown): string {
  // Branch errors of anyOf/oneOf are noise once the combinator itself is reported.
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.schemaPath);
  const shown = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf" || !combinators.some((p) => e.schemaPath.startsWith(`${p}/`)));
  return `Invalid request.\n\n${[...new Set(shown.map((e) => sentence(e, body)))].join("\n")}`;
}
