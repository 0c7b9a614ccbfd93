import { Ajv, type ValidateFunction } from "ajv";
import type { CelInput } from "@bufbuild/cel";
import { splitApiVersion } from "../kinds.js";
import { explainErrors, type SchemaIssue } from "../schema-check.js";
import type { KubeObject } from "../types.js";
import { celRule } from "./cel-rule.js";
import { ISTIO_CRD_SCHEMAS_JSON, ISTIO_RELEASE } from "./istio-crd-schemas.gen.js";
import { strictSchema } from "./strict-schema.js";

type Schema = Record<string, unknown>;

/** A CRD rule meshgate could not evaluate on a field the document has. */
export interface SkippedRule {
  rule: string;
  reason: string;
  path: (string | number)[];
}

export type StrictCheck =
  | { status: "checked"; source: string; issues: SchemaIssue[]; skipped: SkippedRule[] }
  /** No vendored schema for this group, version and kind. */
  | { status: "unknown" };

/** What strict validation is checked against, as the README and diagnostics name it. */
export const STRICT_SOURCE = `Istio ${ISTIO_RELEASE} CRD schema`;

// Formats the API server checks (kube-openapi's strfmt); number formats (int32, double, …) only
// name a width and are not enforced, so they pass. Written here: JSON Schema's own date-time and
// byte formats are not strfmt's (strfmt's date-time takes a lower-case t and no seconds fraction limit).
const FORMATS: Record<string, { type: "string" | "number"; validate: RegExp | ((value: never) => boolean) }> = {
  int32: { type: "number", validate: () => true },
  int64: { type: "number", validate: () => true },
  float: { type: "number", validate: () => true },
  double: { type: "number", validate: () => true },
  "date-time": { type: "string", validate: /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$/ },
  byte: { type: "string", validate: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/ },
};

let ajv: Ajv | undefined;
let openApi: Record<string, Schema> | undefined;
const validators = new Map<string, ValidateFunction>();

function schemaOf(key: string): Schema | undefined {
  // Parsed on first use only: a render without raw Istio documents never pays for it.
  openApi ??= JSON.parse(ISTIO_CRD_SCHEMAS_JSON) as Record<string, Schema>;
  return openApi[key];
}

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // strict: false, since a CRD's oneOf branches hold `required` without `type`, which is valid JSON Schema.
    ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true });
    for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format as never);
    validate = ajv.compile(strictSchema(schema));
    validators.set(key, validate);
  }
  return validate;
}

/**
 * Validates a document against the vendored CRD schema of its group, version and kind, as the
 * API server would with strict field validation: the structural schema (unknown fields
 * rejected) and its CEL rules, where they can be decided from the document alone.
 */
export function validateStrict(object: KubeObject): StrictCheck {
  const [group, version] = splitApiVersion(object.apiVersion);
  const key = `${group}/${version}/${object.kind}`;
  const schema = schemaOf(key);
  if (!schema) return { status: "unknown" };
  const value = withoutNulls(object);
  const validate = validatorFor(key, schema);
  const issues = validate(value) ? [] : explainErrors(validate.errors ?? [], value);
  const skipped: SkippedRule[] = [];
  applyRules({ value, schema, path: [], issues, skipped });
  return { status: "checked", source: STRICT_SOURCE, issues, skipped };
}

/** The API server prunes null fields that are not nullable before validating; a null of a nullable field stays. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Evaluates the CEL rules of every schema node the document has a value at, depth first. */
function applyRules(params: { value: unknown; schema: Schema; path: (string | number)[]; issues: SchemaIssue[]; skipped: SkippedRule[] }): void {
  const { value, schema, path, issues, skipped } = params;
  // A value of the wrong type is already an issue; its rules would only error on it.
  if (!hasSchemaType(value, schema)) return;
  const rules = schema["x-kubernetes-validations"];
  if (Array.isArray(rules)) {
    for (const entry of rules as { rule: string; message?: string }[]) {
      const rule = celRule(entry);
      if (rule.status === "skipped") {
        skipped.push({ rule: rule.rule, reason: rule.reason, path });
        continue;
      }
      const result = rule.evaluate(toCel(value, schema));
      if (!result.passed) issues.push({ path, message: `${rule.message}${result.reason !== undefined ? ` (the rule \`${rule.rule}\` fails: ${result.reason})` : ""}` });
    }
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((item, i) => { applyRules({ value: item, schema: items, path: [...path, i], issues, skipped }); });
    return;
  }
  if (value === null || typeof value !== "object") return;
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const additional = typeof schema.additionalProperties === "object" ? (schema.additionalProperties as Schema) : undefined;
  for (const [key, child] of Object.entries(value)) {
    const sub = properties[key] ?? additional;
    if (sub) applyRules({ value: child, schema: sub, path: [...path, key], issues, skipped });
  }
}

function hasSchemaType(value: unknown, schema: Schema): boolean {
  if (schema["x-kubernetes-int-or-string"] === true) return typeof value === "string" || Number.isInteger(value);
  switch (schema.type) {
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array": return Array.isArray(value);
    case "string": return typeof value === "string";
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number";
    case "boolean": return typeof value === "boolean";
    default: return true;
  }
}

/**
 * A value as Kubernetes' CEL sees it: objects and maps are maps, integers (by the schema, or
 * any whole number where the schema leaves the type open) are CEL ints, other numbers doubles.
 */
function toCel(value: unknown, schema: Schema | undefined): CelInput {
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema?.items as Schema | undefined));
  if (value !== null && typeof value === "object") {
    const properties = (schema?.properties ?? {}) as Record<string, Schema>;
    const additional = typeof schema?.additionalProperties === "object" ? (schema.additionalProperties as Schema) : undefined;
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v, properties[k] ?? additional)]));
  }
  if (typeof value === "number") {
    const integer = schema?.type === "integer" || schema?.["x-kubernetes-int-or-string"] === true || (schema?.type === undefined && Number.isInteger(value));
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  return value as CelInput;
}
