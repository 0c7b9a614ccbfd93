import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/** A CRD rule (`x-kubernetes-validations` entry) ready to run, or why meshgate cannot run it. */
export type CelRule =
  | { status: "evaluable"; rule: string; message: string; evaluate: (self: CelInput) => { passed: true } | { passed: false; reason?: string } }
  | { status: "skipped"; rule: string; message: string; reason: string };

// Kubernetes' CEL environment is standard CEL plus extension libraries; the strings extension
// (`substring`, `indexOf`, …) is the one the Istio CRDs use that @bufbuild/cel ships. Its URL
// library (`isURL`, `url(…).getScheme()`) has no implementation here: rules using it are skipped.
const ENV = celEnv({ funcs: strings });

const compiled = new Map<string, CelRule>();

/**
 * Compiles one rule once per process. A rule is skipped, never guessed, when it compares with
 * `oldSelf` (a transition rule: a single document has no old state) or calls a function the
 * environment lacks; the caller says so.
 */
export function celRule(entry: { rule: string; message?: string }): CelRule {
  const key = `${entry.rule}\u0000${entry.message ?? ""}`;
  let rule = compiled.get(key);
  if (!rule) {
    rule = compile(entry.rule, entry.message ?? `failed rule: ${entry.rule}`);
    compiled.set(key, rule);
  }
  return rule;
}

function compile(rule: string, message: string): CelRule {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rule);
  } catch (error) {
    return { status: "skipped", rule, message, reason: `it does not parse (${(error as Error).message})` };
  }
  const { identifiers, functions } = references(parsed.expr);
  if (identifiers.has("oldSelf")) return { status: "skipped", rule, message, reason: "it is a transition rule (oldSelf): a manifest has no old state" };
  const missing = [...functions].filter((name) => /^[A-Za-z]/.test(name) && !ENV.funcs.find(name));
  if (missing.length > 0) return { status: "skipped", rule, message, reason: `meshgate's CEL library lacks ${missing.sort().join(", ")} (Kubernetes' CEL extensions)` };
  const program = plan(ENV, parsed);
  return {
    status: "evaluable",
    rule,
    message,
    evaluate: (self) => {
      const result: CelResult = program({ self });
      // The API server rejects an object whose rule errors (a missing key, a malformed duration) as it rejects a false one.
      if (isCelError(result)) return { passed: false, reason: result.message };
      return result === true ? { passed: true } : { passed: false };
    },
  };
}

/** Every identifier and function name an expression uses (macros are already comprehensions). */
function references(root: unknown): { identifiers: Set<string>; functions: Set<string> } {
  const identifiers = new Set<string>();
  const functions = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const kind = (node as { exprKind?: { case?: string; value?: { name?: string; function?: string } } }).exprKind;
    if (kind?.case === "identExpr" && typeof kind.value?.name === "string") identifiers.add(kind.value.name);
    if (kind?.case === "callExpr" && typeof kind.value?.function === "string") functions.add(kind.value.function);
    for (const value of Object.values(node)) visit(value);
  };
  visit(root);
  return { identifiers, functions };
}
