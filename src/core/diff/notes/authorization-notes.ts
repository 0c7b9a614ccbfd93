import { identityOf } from "../../render/identity.js";
import type { JsonValue, KubeObject, Resource } from "../../types.js";
import { matchItems } from "../match-items.js";
import { sameJson } from "../same-json.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pickList, pickObject, pickString, pickStrings } from "./pick.js";

const GROUPS_KEY = "request.auth.claims[groups]";

/** Fields of `from[].source` and `to[].operation`, with how an operator names them. */
const SOURCE_FIELDS: readonly [string, string][] = [
  ["principals", "principal"],
  ["serviceAccounts", "service account"],
  ["namespaces", "namespace"],
  ["requestPrincipals", "request principal"],
  ["ipBlocks", "IP block"],
  ["remoteIpBlocks", "remote IP block"],
];
const OPERATION_FIELDS: readonly [string, string][] = [
  ["methods", "method"],
  ["paths", "path"],
  ["ports", "port"],
  ["hosts", "host"],
];

type Clause = Map<string, string[]>;

/** An authorization rule in a shape that can be compared field by field and described in words. */
interface RuleShape {
  sources: Clause[];
  operations: Clause[];
  /** `when` conditions by key; `!key` holds `notValues`. */
  conditions: Clause;
}

function negated(field: string): string {
  return `not${field.charAt(0).toUpperCase()}${field.slice(1)}`;
}

function clauseOf(value: JsonValue | undefined, fields: readonly [string, string][]): Clause {
  const clause: Clause = new Map();
  for (const [field] of fields) {
    for (const name of [field, negated(field)]) {
      const values = pickStrings(value, name);
      if (values.length > 0) clause.set(name, values);
    }
  }
  return clause;
}

function shapeOf(rule: JsonValue | undefined): RuleShape {
  const conditions: Clause = new Map();
  for (const condition of pickList(rule, "when")) {
    const key = pickString(condition, "key");
    if (key === undefined) continue;
    const values = pickStrings(condition, "values");
    const notValues = pickStrings(condition, "notValues");
    if (values.length > 0) conditions.set(key, values);
    if (notValues.length > 0) conditions.set(`!${key}`, notValues);
  }
  return {
    sources: pickList(rule, "from").map((f) => clauseOf(pickObject(f, "source"), SOURCE_FIELDS)),
    operations: pickList(rule, "to").map((t) => clauseOf(pickObject(t, "operation"), OPERATION_FIELDS)),
    conditions,
  };
}

type Section = "sources" | "operations" | "conditions";

interface Dimension {
  section: Section;
  field: string;
  label: string;
  /** A `not…` field: adding values excludes more. */
  negative: boolean;
}

function labelOf(section: Section, field: string): string {
  const bare = field.startsWith("!") ? field.slice(1) : field.startsWith("not") ? `${field.charAt(3).toLowerCase()}${field.slice(4)}` : field;
  if (section === "conditions") return bare === GROUPS_KEY ? "group" : `\`${bare}\``;
  const table = section === "sources" ? SOURCE_FIELDS : OPERATION_FIELDS;
  return table.find(([f]) => f === bare)?.[1] ?? bare;
}

function dimensionsOf(a: RuleShape, b: RuleShape): Dimension[] {
  const seen = new Map<string, Dimension>();
  const add = (section: Section, field: string): void => {
    const id = `${section}:${field}`;
    if (!seen.has(id)) seen.set(id, { section, field, label: labelOf(section, field), negative: field.startsWith("!") || (section !== "conditions" && field.startsWith("not")) });
  };
  for (const shape of [a, b]) {
    for (const clause of shape.sources) for (const field of clause.keys()) add("sources", field);
    for (const clause of shape.operations) for (const field of clause.keys()) add("operations", field);
    for (const field of shape.conditions.keys()) add("conditions", field);
  }
  return [...seen.values()];
}

function valuesOf(shape: RuleShape, d: Dimension): string[] {
  const clauses = d.section === "conditions" ? [shape.conditions] : shape[d.section];
  return [...new Set(clauses.flatMap((c) => c.get(d.field) ?? []))].sort();
}

/** The rule narrowed to one value of one field: what a single added or removed value lets through. */
function focus(shape: RuleShape, d: Dimension, value: string): RuleShape {
  if (d.section === "conditions") return { ...shape, conditions: new Map([...shape.conditions, [d.field, [value]]]) };
  const clauses = shape[d.section].filter((c) => c.get(d.field)?.includes(value)).map((c) => new Map([...c, [d.field, [value]]]));
  return { ...shape, [d.section]: clauses };
}

/** The rule without one field: the context in which values of that field are excluded. */
function without(shape: RuleShape, d: Dimension): RuleShape {
  if (d.section === "conditions") return { ...shape, conditions: new Map([...shape.conditions].filter(([k]) => k !== d.field)) };
  return { ...shape, [d.section]: shape[d.section].map((c) => new Map([...c].filter(([k]) => k !== d.field))) };
}

function quoted(values: string[]): string {
  return values.map((v) => `\`${v}\``).join(", ");
}

function describeClause(clause: Clause, section: Section): string[] {
  return [...clause].map(([field, values]) => {
    const label = labelOf(section, field);
    const plural = values.length > 1 ? `${label}s` : label;
    return field.startsWith("not") ? `not ${plural} ${quoted(values)}` : `${plural} ${quoted(values)}`;
  });
}

function who(shape: RuleShape): string {
  const sources = shape.sources.map((c) => describeClause(c, "sources").join(" and ")).filter((s) => s !== "");
  let text = sources.length > 0 ? sources.join(" or ") : "anyone";
  const groups = shape.conditions.get(GROUPS_KEY);
  if (groups) text = text === "anyone" ? `group ${quoted(groups)}` : `${text} in group ${quoted(groups)}`;
  const others = [...shape.conditions].filter(([key]) => key !== GROUPS_KEY);
  if (others.length > 0) {
    text += ` when ${others.map(([key, values]) => (key.startsWith("!") ? `${key.slice(1)} is not ${quoted(values)}` : `${key} is ${quoted(values)}`)).join(" and ")}`;
  }
  return text;
}

function what(shape: RuleShape): string {
  if (shape.operations.length === 0) return "send any request";
  return shape.operations
    .map((op) => {
      const methods = op.get("methods");
      const paths = op.get("paths");
      const rest = describeClause(new Map([...op].filter(([f]) => f !== "methods" && f !== "paths")), "operations");
      return [methods ? methods.join("/") : "call", paths ? paths.join(", ") : "any path", ...(rest.length > 0 ? [`(${rest.join(", ")})`] : [])].join(" ");
    })
    .join(" or ");
}

function actionOf(policy: KubeObject | undefined): string {
  return pickString(policy?.spec, "action") ?? "ALLOW";
}

/** The workloads a policy selects, as an operator names them. */
export function policyTarget(policy: KubeObject): string {
  const namespace = policy.metadata.namespace ?? "";
  const labels = pickObject(policy.spec, "selector", "matchLabels");
  if (!labels || Object.keys(labels).length === 0) return `every workload in namespace ${namespace}`;
  const component = labels["app.oam.dev/component"] ?? labels.app;
  if (typeof component === "string") return `${namespace}/${component}`;
  return `workloads ${Object.entries(labels).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(",")} in namespace ${namespace}`;
}

/** DENY for requests without a request principal: how a JWT is made mandatory (DESIGN §2, jwt-auth). */
function isJwtRequirement(rule: JsonValue | undefined, action: string): boolean {
  if (action !== "DENY" || pickList(rule, "to").length > 0 || pickList(rule, "when").length > 0) return false;
  const sources = pickList(rule, "from");
  return sources.length > 0 && sources.every((f) => pickStrings(f, "source", "notRequestPrincipals").includes("*"));
}

function rulesOf(policy: KubeObject | undefined): JsonValue[] {
  const action = actionOf(policy);
  return pickList(policy?.spec, "rules").filter((r) => !isJwtRequirement(r, action));
}

function requiresJwt(policy: KubeObject | undefined): boolean {
  return policy !== undefined && pickList(policy.spec, "rules").some((r) => isJwtRequirement(r, actionOf(policy)));
}

/** ALLOW policies of a render by namespace, built once per render: a large PR adds many policies. */
const allowPoliciesOf = new WeakMap<readonly Resource[], Map<string, KubeObject[]>>();

function allowPoliciesByNamespace(resources: readonly Resource[]): Map<string, KubeObject[]> {
  let index = allowPoliciesOf.get(resources);
  if (!index) {
    index = new Map();
    for (const { object } of resources) {
      if (object.kind !== "AuthorizationPolicy" || !object.apiVersion.startsWith("security.istio.io/") || actionOf(object) !== "ALLOW") continue;
      const namespace = object.metadata.namespace ?? "";
      const list = index.get(namespace) ?? [];
      list.push(object);
      index.set(namespace, list);
    }
    allowPoliciesOf.set(resources, index);
  }
  return index;
}

/** Other ALLOW policies that apply to every workload this one selects (same selector, or namespace-wide). */
function otherAllowPolicies(resources: readonly Resource[], policy: KubeObject): KubeObject[] {
  const identity = identityOf(policy);
  const selector = pickObject(policy.spec, "selector");
  return (allowPoliciesByNamespace(resources).get(policy.metadata.namespace ?? "") ?? []).filter((o) => {
    const other = pickObject(o.spec, "selector");
    return identityOf(o) !== identity && (other === undefined || sameJson(other, selector));
  });
}

type Change = "widened" | "narrowed";
type At = Pick<NoteDraft, "side" | "pointer">;

function draft(params: { change: Change; text: string; at: At; severity?: NoteDraft["severity"] }): NoteDraft {
  const { change, text, at, severity } = params;
  return {
    kind: "authorization",
    severity: severity ?? (change === "widened" ? "high" : "low"),
    effect: change === "widened" ? "weakens" : "strengthens",
    text: `authorization ${change}: ${text}`,
    ...at,
  };
}

/**
 * A rule, or the part of one that a value lets through, that starts or stops applying. An
 * ALLOW rule that applies lets requests in (widened); a DENY rule that applies keeps them out.
 */
function ruleEffect(params: { rule: RuleShape; allow: boolean; applies: boolean; at: At; why?: string }): NoteDraft {
  const { rule, allow, applies, at } = params;
  const why = params.why !== undefined ? ` (${params.why})` : "";
  if (allow === applies) return draft({ change: "widened", text: `${who(rule)} may ${applies ? "now " : ""}${what(rule)}${applies ? "" : " again"}${why}`, at });
  return draft({ change: "narrowed", text: `${who(rule)} may no longer ${what(rule)}${why}`, at });
}

/**
 * AuthorizationPolicy: who may do what, before and after. Adding an ALLOW rule or value widens
 * access and removing one narrows it; DENY works the other way round. A workload without any
 * ALLOW policy accepts everything, so the first ALLOW policy narrows and removing the last one
 * widens. The JWT requirement that jwt-auth renders is noted on its own.
 */
export function authorizationNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const policy = after ?? before;
  if (!policy) return [];
  const target = policyTarget(policy);
  const notes: NoteDraft[] = [];

  const [baseJwt, headJwt] = [requiresJwt(before), requiresJwt(after)];
  if (baseJwt && !headJwt) {
    notes.push({ kind: "jwt", severity: "high", effect: "weakens", text: `JWT no longer required for ${target}: requests without a token are accepted again (security downgrade)`, side: after ? "head" : "base", pointer: after ? "/spec" : "" });
  } else if (!baseJwt && headJwt) {
    notes.push({ kind: "jwt", severity: "low", effect: "strengthens", text: `JWT now required for ${target}: requests without a valid token are denied`, side: "head", pointer: "/spec/rules" });
  }

  const [baseAction, headAction] = [actionOf(before), actionOf(after)];
  if (before && after && baseAction === headAction) {
    const [baseSelector, headSelector] = [pickObject(before.spec, "selector"), pickObject(after.spec, "selector")];
    if (!sameJson(baseSelector, headSelector)) {
      notes.push({ kind: "authorization", severity: "medium", effect: "neutral", text: `${headAction} policy now applies to ${target} (was ${policyTarget(before)})`, side: "head", pointer: "/spec/selector" });
    }
    if (headAction === "ALLOW" || headAction === "DENY") notes.push(...ruleNotes(rulesOf(before), rulesOf(after), headAction === "ALLOW"));
    else if (!sameJson(before.spec, after.spec)) notes.push({ kind: "authorization", severity: "medium", effect: "neutral", text: `${headAction} policy for ${target} changed`, side: "head", pointer: "/spec" });
    return notes;
  }
  if (before) notes.push(...policyRemoved(before, input.head));
  if (after) notes.push(...policyAdded(after, input.base));
  return notes;
}

function policyAdded(policy: KubeObject, base: readonly Resource[]): NoteDraft[] {
  const action = actionOf(policy);
  const target = policyTarget(policy);
  const rules = rulesOf(policy).map(shapeOf);
  const whole: At = { side: "head", pointer: "" };
  if (action !== "ALLOW" && action !== "DENY") return [{ kind: "authorization", severity: "medium", effect: "neutral", text: `${action} policy added for ${target}`, ...whole }];
  if (action === "ALLOW" && pickList(policy.spec, "rules").length === 0) {
    return [draft({ change: "narrowed", text: `allow-nothing policy added: ${target} denies every request that no other ALLOW policy matches`, at: whole, severity: "medium" })];
  }
  if (action === "ALLOW" && otherAllowPolicies(base, policy).length === 0) {
    const allowed = rules.map((r) => `${who(r)} may ${what(r)}`).join("; ");
    return [draft({ change: "narrowed", text: `${target} now accepts only what its ALLOW policy matches: ${allowed}`, at: { side: "head", pointer: "/spec/rules" }, severity: "medium" })];
  }
  const why = action === "DENY" ? "DENY policy added" : undefined;
  return rules.map((rule, i) => ruleEffect({ rule, allow: action === "ALLOW", applies: true, at: { side: "head", pointer: `/spec/rules/${i}` }, ...(why ? { why } : {}) }));
}

function policyRemoved(policy: KubeObject, head: readonly Resource[]): NoteDraft[] {
  const action = actionOf(policy);
  const target = policyTarget(policy);
  const rules = rulesOf(policy).map(shapeOf);
  const whole: At = { side: "base", pointer: "" };
  if (action !== "ALLOW" && action !== "DENY") return [{ kind: "authorization", severity: "medium", effect: "neutral", text: `${action} policy removed for ${target}`, ...whole }];
  if (action === "ALLOW" && otherAllowPolicies(head, policy).length === 0) {
    return [draft({ change: "widened", text: `no ALLOW policy applies to ${target} any more: every request is allowed`, at: whole })];
  }
  if (action === "ALLOW" && pickList(policy.spec, "rules").length === 0) {
    return [{ kind: "authorization", severity: "info", effect: "neutral", text: `allow-nothing policy removed; other ALLOW policies still apply to ${target}`, ...whole }];
  }
  const why = `${action} policy removed`;
  return rules.map((rule, i) => ruleEffect({ rule, allow: action === "ALLOW", applies: false, at: { side: "base", pointer: `/spec/rules/${i}` }, why }));
}

function ruleNotes(beforeRules: JsonValue[], afterRules: JsonValue[], allow: boolean): NoteDraft[] {
  const notes: NoteDraft[] = [];
  for (const pair of matchItems(beforeRules, afterRules).pairs) {
    if (sameJson(pair.before, pair.after)) continue;
    const headAt: At = { side: "head", pointer: `/spec/rules/${pair.afterIndex ?? 0}` };
    if (pair.before === undefined) {
      notes.push(ruleEffect({ rule: shapeOf(pair.after), allow, applies: true, at: headAt, ...(allow ? {} : { why: "DENY rule added" }) }));
    } else if (pair.after === undefined) {
      notes.push(ruleEffect({ rule: shapeOf(pair.before), allow, applies: false, at: { side: "base", pointer: `/spec/rules/${pair.beforeIndex ?? 0}` }, why: `${allow ? "ALLOW" : "DENY"} rule removed` }));
    } else {
      const [b, a] = [shapeOf(pair.before), shapeOf(pair.after)];
      for (const d of dimensionsOf(b, a)) notes.push(...dimensionNotes({ d, b, a, allow, at: headAt }));
    }
  }
  return notes;
}

/** One field of a rule that both sides have: values added or removed, or a restriction added or lifted. */
function dimensionNotes(params: { d: Dimension; b: RuleShape; a: RuleShape; allow: boolean; at: At }): NoteDraft[] {
  const { d, b, a, allow, at } = params;
  const [baseValues, headValues] = [valuesOf(b, d), valuesOf(a, d)];
  if (sameJson(baseValues, headValues)) return [];
  // For a positive field no values means "any"; for a `not…` field it means "no exclusion".
  // More values in a positive field match more requests, in a `not…` field fewer; matching
  // more widens an ALLOW rule and narrows a DENY rule.
  const lets = (moreValues: boolean): Change => ((moreValues !== d.negative) === allow ? "widened" : "narrowed");
  if (!d.negative && (baseValues.length === 0 || headValues.length === 0)) {
    const limited = baseValues.length === 0;
    const values = quoted(limited ? headValues : baseValues);
    const verb = allow ? "may" : "may not";
    const text = limited ? `${who(a)} ${verb} now only ${what(a)} (${d.label} limited to ${values})` : `${who(a)} ${verb} ${what(a)} (${d.label} restriction ${values} removed)`;
    return [draft({ change: lets(!limited), text: allow ? text : `DENY rule changed: ${text}`, at })];
  }
  const context = without(a, d);
  const rule = `the rule that ${allow ? "allows" : "denies"} ${who(context)} to ${what(context)}`;
  const added = headValues.filter((v) => !baseValues.includes(v));
  const removed = baseValues.filter((v) => !headValues.includes(v));
  if (d.negative) {
    return [
      ...added.map((v) => draft({ change: lets(true), text: `${d.label} \`${v}\` now excluded from ${rule}`, at })),
      ...removed.map((v) => draft({ change: lets(false), text: `${d.label} \`${v}\` no longer excluded from ${rule}`, at })),
    ];
  }
  return [
    ...added.map((v) => ruleEffect({ rule: focus(a, d, v), allow, applies: true, at, ...(allow ? {} : { why: "denied" }) })),
    ...removed.map((v) => ruleEffect({ rule: focus(b, d, v), allow, applies: false, at, ...(allow ? {} : { why: "no longer denied" }) })),
  ];
}
