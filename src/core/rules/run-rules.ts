import type { Config, Severity } from "../config/config.js";
import { scopeText, type PolicyScope } from "../authorization/policy-scope.js";
import { identityOf, scopeLabel } from "../render/identity.js";
import type { DefinitionRef } from "../types.js";
import type { FindingValue, Rule, RuleInput } from "./rule.js";
import { sourceOf } from "./source-of.js";
import { TEMPLATES } from "./templates/index.js";

/** A rule's finding on one revision, before it is compared with the base and the waivers. */
export interface RuleFinding {
  rule: string;
  title: string;
  /** SOC 2 criteria of the rule. */
  controls: string[];
  severity: Severity;
  message: string;
  /** Rule + resource identity + the key at fault + its scope + the value at fault: equal fingerprints are the same finding. */
  fingerprint: string;
  /** What exactly is at fault within the resource (a field, a host, a rule by its stable key). */
  key: string;
  scope?: PolicyScope;
  value?: FindingValue;
  resource?: { kind: string; namespace: string; name: string; identity: string };
  file: string;
  line: number;
  /** The repository definition that rendered the field at fault: the finding is attributed to it too. */
  definition?: DefinitionRef;
}

/** Runs every enabled rule of the catalog on one revision, with the config's severity overrides. */
export function runRules(params: { rules: readonly Rule[]; input: RuleInput; overrides: Config["rules"]["overrides"] }): RuleFinding[] {
  const { rules, input, overrides } = params;
  const findings: RuleFinding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const override = overrides[rule.id];
    if (override?.enabled === false) continue;
    const template = rule.check ? TEMPLATES.get(rule.check.template) : undefined;
    if (!template) continue;
    for (const draft of template.check(input, rule.check?.params ?? {})) {
      const identity = draft.resource ? identityOf(draft.resource.object, draft.resource) : "";
      const fingerprint = [rule.id, identity, draft.key, ...(draft.scope ? [`scope=${scopeText(draft.scope)}`] : []), ...(draft.value ? [`value=${draft.value.text}`] : [])].join("|");
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      const placed = draft.resource ? sourceOf(draft.resource, draft.pointer) : undefined;
      const location = draft.location ?? placed ?? { file: "", line: 1 };
      const object = draft.resource?.object;
      findings.push({
        rule: rule.id,
        title: rule.title,
        controls: rule.controls,
        severity: override?.severity ?? rule.severity,
        // A finding of one environment or workflow step says which: the same object elsewhere may be fine.
        message: scoped(fillMessage(rule.message, draft.values), draft.resource ? scopeLabel(draft.resource) : ""),
        fingerprint,
        key: draft.key,
        ...(draft.scope ? { scope: draft.scope } : {}),
        ...(draft.value ? { value: draft.value } : {}),
        ...(object ? { resource: { kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name, identity } } : {}),
        file: location.file,
        line: location.line,
        ...(placed?.definition ? { definition: placed.definition } : {}),
      });
    }
  }
  return findings;
}

/** `{name}` placeholders from the values; an unknown placeholder stays visible rather than vanishing. */
export function fillMessage(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** `…plaintext connections.` + ` in production` → `…plaintext connections in production.` */
function scoped(message: string, label: string): string {
  if (label === "") return message;
  return message.endsWith(".") ? `${message.slice(0, -1)}${label}.` : `${message}${label}`;
}
