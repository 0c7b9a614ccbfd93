import type { JsonObject, JsonValue } from "../types.js";

/** What one evaluation of a template is given: the properties and KubeVela's `context`. */
export interface TemplateInput {
  parameter: JsonObject;
  context: JsonObject;
}

/** A template ready to be evaluated: its body (imports taken out) and what precedes it in a program. */
export interface PreparedTemplate {
  /** Imports CUE itself resolves (strings, list, math, …), kept at the top of every program. */
  imports: string[];
  /** The body, each `kube/…` import replaced by an open definition of the kinds it is used for. */
  body: string;
  /** What of `context` the body reads: the rest is not given to CUE. */
  reads: ContextReads;
}

// `import "p"`, `import alias "p"`, and `import ( … )` blocks, at the start of the template.
const IMPORT_BLOCK = /^\s*import\s*\(([^)]*)\)/m;
const IMPORT_LINE = /^\s*import\s+((?:[A-Za-z_$][\w$]*\s+)?"[^"]+")\s*$/gm;
const IMPORT_SPEC = /^(?:([A-Za-z_$][\w$]*)\s+)?"([^"]+)"$/;

/**
 * Takes a template's imports out of its body. KubeVela generates the `kube/…` packages from the
 * cluster's OpenAPI schemas, which meshgate does not have: each becomes an open struct of open
 * definitions (`v1.#Deployment: {...}`), so a template that uses them as types still evaluates,
 * with the values it writes itself. Everything else is for CUE to resolve, and an import it
 * cannot (`vela/op`, a module) is an error of the definition. Lines are kept (imports become
 * blank lines), so positions in the body are the template's.
 */
export function prepareTemplate(template: string): PreparedTemplate {
  const imports: string[] = [];
  const stubs: string[] = [];
  const take = (spec: string): void => {
    const match = IMPORT_SPEC.exec(spec.trim());
    if (!match) return;
    const [, alias, path = ""] = match;
    if (!path.startsWith("kube/")) {
      imports.push(`import ${spec.trim()}`);
      return;
    }
    const name = alias ?? path.split("/").pop() ?? "";
    const used = new Set([...template.matchAll(new RegExp(`\\b${escapeRegExp(name)}\\.(#[A-Za-z_][\\w]*)`, "g"))].map((m) => m[1] ?? ""));
    stubs.push(`let ${name} = {${[...used].map((d) => ` ${d}: {...}`).join(",")} }`);
  };
  const blank = (text: string): string => text.replace(/[^\n]/g, " ");
  let body = template.replace(/^\s*package\s+[\w]+\s*$/m, blank);
  body = body.replace(IMPORT_BLOCK, (whole, specs: string) => {
    for (const spec of specs.split("\n")) if (spec.trim() !== "") take(spec);
    return blank(whole);
  });
  body = body.replace(IMPORT_LINE, (whole, spec: string) => {
    take(spec);
    return blank(whole);
  });
  return { imports, body: stubs.length > 0 ? `${stubs.join("\n")}\n${body}` : body, reads: contextReads(body) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** What of `context` a template can read: all of it, or the fields it names (and of `outputs`, the outputs it names). */
export interface ContextReads {
  all: boolean;
  fields: ReadonlySet<string>;
  allOutputs: boolean;
  outputs: ReadonlySet<string>;
}

const IDENTIFIER = /^\.([A-Za-z_$][\w$]*)/;

/**
 * The parts of `context` a template body reads, told from its text: every `context` is followed
 * by `.name`, `.outputs.service`, …, or the template may read anything of it (a `context` passed
 * whole, indexed, iterated or declared), and is given all of it. Conservative by construction: a
 * mention in a comment or string only gives more. What a template cannot name cannot change
 * its result, so a context trimmed to this evaluates to the same output, outputs and patches,
 * at a fraction of the cost: CUE unifies and exports every object of context it is given.
 */
export function contextReads(body: string): ContextReads {
  const fields = new Set<string>();
  const outputs = new Set<string>();
  let allOutputs = false;
  for (const match of body.matchAll(/\bcontext\b/g)) {
    const rest = body.slice(match.index + match[0].length);
    const field = IDENTIFIER.exec(rest);
    if (!field?.[1]) return { all: true, fields, allOutputs: true, outputs };
    fields.add(field[1]);
    if (field[1] !== "outputs") continue;
    const output = IDENTIFIER.exec(rest.slice(field[0].length));
    if (output?.[1]) outputs.add(output[1]);
    else allOutputs = true;
  }
  return { all: false, fields, allOutputs, outputs };
}

/** `context` as much as a template reads of it (see contextReads). */
export function trimContext(context: JsonObject, reads: ContextReads): JsonObject {
  if (reads.all) return context;
  const trimmed: JsonObject = {};
  for (const field of reads.fields) {
    const value = context[field];
    if (value === undefined) continue;
    if (field !== "outputs" || reads.allOutputs || !isJsonObject(value)) {
      trimmed[field] = value;
      continue;
    }
    const named: JsonObject = {};
    for (const name of reads.outputs) if (value[name] !== undefined) named[name] = value[name];
    trimmed[field] = named;
  }
  return trimmed;
}

/**
 * One CUE program evaluating the template once per input, as `r0`, `r1`, …: the template is
 * compiled once and unified with each input, which costs far less than a program per input.
 * `context` is declared open, as KubeVela declares it.
 */
export function batchProgram(template: PreparedTemplate, inputs: readonly TemplateInput[]): string {
  const lines = [...template.imports, "_t: {", "context: {...}", template.body, "}"];
  inputs.forEach((input, i) => {
    lines.push(`r${i}: _t & {parameter: ${JSON.stringify(input.parameter)}, context: ${JSON.stringify(input.context)}}`);
  });
  return lines.join("\n");
}

/** CUE's message without the program's own wrapping (`r0.`, `_t.`), so that it names the template's fields. */
export function templateMessage(message: string): string {
  return message.replace(/\b(?:r\d+|_t)\./g, "").trim();
}

/**
 * The line of the template (0-based) CUE's message points at: CUE reports a field path, not a
 * position, so the path's last label is looked up in the body after its first one. 0 when it
 * cannot be told.
 */
export function templateLineOf(template: string, message: string): number {
  const path = /^([\w.#"-]+):/.exec(templateMessage(message))?.[1];
  if (path === undefined) return 0;
  const labels = path.split(".").map((l) => l.replace(/"/g, "")).filter((l) => l !== "" && !/^\d+$/.test(l));
  const lines = template.split("\n");
  let from = 0;
  let found = 0;
  for (const label of labels) {
    const pattern = new RegExp(`(^|[\\s{,"])${escapeRegExp(label)}"?\\??\\s*:`);
    const at = lines.findIndex((line, i) => i >= from && pattern.test(line));
    if (at < 0) continue;
    found = at;
    from = at;
  }
  return found;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
