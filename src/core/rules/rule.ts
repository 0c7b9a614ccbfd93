import type { Config, Severity } from "../config/config.js";
import type { RenderResult, Resource } from "../types.js";
import type { PolicyScope } from "../authorization/policy-scope.js";
import type { MeshIndex } from "./mesh-index.js";

/** A rule as written in `rules/<ID>.yaml`: metadata, and the template that checks it. */
export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** SOC 2 criteria, e.g. CC6.7. */
  controls: string[];
  description: string;
  /** The Istio behaviour behind the rule, where users assume otherwise (for `explain`). */
  istioDefault?: string;
  remediation: string;
  /** The finding's sentence; `{name}` placeholders are filled from the template's values. */
  message: string;
  /** The template that checks the rule; absent for the approval rules (CHG-*), which `evaluatedBy` names. */
  check?: { template: string; params?: Record<string, unknown> };
  /** Rules checked outside the templates: the approval rules, by src/core/owners/approvals.ts. */
  evaluatedBy?: "approvals";
  /** The catalog file and line the rule came from. */
  file: string;
}

/** What a template sees of one revision. */
export interface RuleInput {
  render: RenderResult;
  index: MeshIndex;
  config: Pick<Config, "mesh">;
  /** The base revision's render, when this is the head of a change (TRAF-003 compares them). */
  base?: { render: RenderResult; index: MeshIndex };
}

/** One thing a template found wrong, before the rule's metadata and the finding's status apply. */
export interface FindingDraft {
  /** The resource at fault; absent for a finding on configuration (e.g. the mesh-wide mTLS mode). */
  resource?: Resource;
  /**
   * What exactly is at fault within the resource (a field, a host, a port): with the rule and the
   * resource identity it makes the fingerprint that tells new findings from pre-existing ones.
   */
  key: string;
  /**
   * What the resource at fault covers (the mesh, a namespace, the workloads of a selector, the
   * targets of `targetRefs`): a finding whose scope widened is new, even on an unchanged key.
   */
  scope?: PolicyScope;
  /**
   * The value at fault (a mode, a host): a finding whose value changed is new. With a `rank`,
   * only a change to a higher rank (worse) is; a lower one leaves it pre-existing.
   */
  value?: FindingValue;
  /** Values for the rule's message placeholders. */
  values: Record<string, string | number>;
  /** JSON pointer of the field at fault, so the annotation lands on the trait that wrote it. */
  pointer?: string;
  /** An explicit location (a finding on the config file). */
  location?: { file: string; line: number };
}

export interface FindingValue {
  text: string;
  rank?: number;
}

export interface RuleTemplate<P = Record<string, unknown>> {
  name: string;
  /** JSON Schema of the params a rule passes (strict). */
  paramsSchema: object;
  check: (input: RuleInput, params: P) => FindingDraft[];
}

export function defineTemplate<P>(template: RuleTemplate<P>): RuleTemplate {
  return template as unknown as RuleTemplate;
}
