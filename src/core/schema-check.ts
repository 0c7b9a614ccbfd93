import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/** One schema violation, in words a user can act on, at a path into the checked value. */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

export type SchemaCheck = (value: unknown) => SchemaIssue[];

// verbose: errors carry the offending data and their schema, which the sentences below quote.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true });
ajv.addFormat("istio-duration", { type: "string", validate: isIstioDuration });

const MILLISECONDS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Istio's durations: a number and a unit, at least 1ms and in whole milliseconds. The CRDs say
 * the last two in CEL rules, which the model validators skip, so the form alone is not enough.
 */
export function isIstioDuration(duration: string): boolean {
  const milliseconds = durationMilliseconds(duration);
  return milliseconds !== undefined && milliseconds >= 1 && Number.isInteger(milliseconds);
}

/** A duration of Istio's form (`250ms`, `1.5s`, `2m`) in milliseconds; undefined for any other text. */
export function durationMilliseconds(duration: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(duration);
  if (!match) return undefined;
  // Rounded to cancel binary floating-point noise (0.007s * 1000 is not exactly 7).
  return Math.round(Number(match[1]) * (MILLISECONDS[match[2] ?? ""] ?? 1) * 1e6) / 1e6;
}

/**
 * Compiles a JSON Schema once. The returned check fills in defaults in place (ajv's
 * useDefaults) and turns ajv's errors into sentences: validator output is never shown raw.
 */
export function compileSchema(schema: object): SchemaCheck {
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return [];
    return explainErrors(validate.errors ?? [], value);
  };
}

/** Ajv errors (ours or a model validator's) as sentences. */
export function explainErrors(errors: readonly ErrorObject[], checked: unknown): SchemaIssue[] {
  // Several keywords can report the same sentence at one place; say it once.
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    if (error.keyword === "if") continue;
    const issue = explainError(error, checked);
    const key = `${issue.path.join("/")}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function explainError(error: ErrorObject, checked: unknown): SchemaIssue {
  const path = pointerSegments(error.instancePath);
  // Validators compiled without `verbose` (the model packages') leave `data` out.
  const data: unknown = "data" in error ? error.data : valueAt(checked, path);
  const at = path.length > 0 ? `\`${path.join(".")}\`` : "the value";
  const params = error.params as Record<string, unknown>;
  const allowedKeys = (): string => {
    const schema = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
    const keys = Object.keys(schema?.properties ?? {});
    return keys.length > 0 ? `; allowed: ${keys.join(", ")}` : "";
  };
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      return { path: [...path, key], message: `unknown key \`${key}\`${path.length > 0 ? ` in ${at}` : ""}${allowedKeys()}` };
    }
    case "required":
      return { path, message: `missing required key \`${String(params.missingProperty)}\`${path.length > 0 ? ` in ${at}` : ""}` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return { path, message: `${at} must be one of ${allowed} (got ${JSON.stringify(data)})` };
    }
    case "const":
      return { path, message: `${at} must be ${JSON.stringify(params.allowedValue)} (got ${JSON.stringify(data)})` };
    case "type":
      return { path, message: `${at} must be ${article(String(params.type))} (got ${describe(data)})` };
    case "pattern":
      return { path, message: `${at} ${JSON.stringify(data)} is not in the expected form (${patternHint(String(params.pattern), error)})` };
    case "format":
      return { path, message: `${at} ${JSON.stringify(data)} is not ${FORMAT_HINTS[String(params.format)] ?? `a valid ${String(params.format)}`}` };
    case "minItems":
      return { path, message: `${at} must have at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}` };
    case "maxItems":
      return { path, message: `${at} must have at most ${String(params.limit)} items` };
    case "minLength":
      return { path, message: `${at} must not be empty` };
    case "maxLength":
      return { path, message: `${at} must be at most ${String(params.limit)} characters long` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return { path, message: `${at} must be ${String(params.comparison)} ${String(params.limit)} (got ${JSON.stringify(data)})` };
    case "minProperties":
      return { path, message: `${at} must not be empty${schemaDescription(error)}` };
    case "maxProperties":
      return { path, message: `${at} may hold at most ${String(params.limit)} key${params.limit === 1 ? "" : "s"}${schemaDescription(error)}` };
    case "uniqueItems":
      return { path, message: `${at} must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)` };
    case "oneOf":
    case "anyOf":
      return { path, message: `${at} does not match any allowed form${schemaDescription(error)}` };
    case "not":
      return { path, message: `${at} is not allowed here${schemaDescription(error)}` };
    case "propertyNames":
      return { path, message: `${at} has a key that is not allowed (${JSON.stringify(params.propertyName)})` };
    default:
      return { path, message: `${at} ${error.message ?? "is invalid"}` };
  }
}

function schemaDescription(error: ErrorObject): string {
  const schema = error.parentSchema as { description?: unknown } | undefined;
  return typeof schema?.description === "string" ? `: ${schema.description}` : "";
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
    null: "null",
  };
  return type
    .split(",")
    .map((t) => words[t] ?? t)
    .join(" or ");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

const FORMAT_HINTS: Record<string, string> = {
  "istio-duration": "a duration of at least 1ms in whole milliseconds, such as 250ms, 5s, 1m or 1h",
};

function patternHint(pattern: string, error: ErrorObject): string {
  const hints: Record<string, string> = {
    "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$": "lower-case letters, digits and '-', starting and ending with a letter or digit",
    "^[A-Z]+-[0-9]{3}$": "a rule id such as MTLS-001",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD",
  };
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  return hints[pattern] ?? (typeof description === "string" ? description : `pattern ${pattern}`);
}
