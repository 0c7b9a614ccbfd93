import { loadConfig, type Config } from "./config/config.js";
import type { ChangeSet } from "./diff/change-set.js";
import { diffRenders } from "./diff/diff-renders.js";
import { isSecurityRelevantChange } from "./kinds.js";
import { evaluateApprovals, type ApprovalEvaluation, type ApprovalInputs } from "./owners/approvals.js";
import { findCodeowners } from "./owners/find-codeowners.js";
import type { DefinitionEvaluations } from "./definitions/definition-evaluations.js";
import { RenderMemo } from "./render/render-memo.js";
import { renderSnapshot } from "./render/render-snapshot.js";
import type { Catalog } from "./rules/catalog.js";
import { classifyFindings, isBlocking, severityRank, type Finding } from "./rules/classify-findings.js";
import { buildMeshIndex } from "./rules/mesh-index.js";
import { runRules } from "./rules/run-rules.js";
import type { Diagnostic, RenderResult, Snapshot } from "./types.js";

/** The people and reviews of a pull request, as resolved data (see approvals.ts). */
export type ReviewInputs = Pick<ApprovalInputs, "reviews" | "author" | "commits" | "permissions" | "teams" | "headSha">;

export interface EvaluationInputs {
  /** The merge base of the change: what "Files changed" compares against. */
  base: Snapshot;
  head: Snapshot;
  /** Policy read from the base branch (never from the head): config text and the CODEOWNERS candidates. */
  policy: { config?: string; files: ReadonlyMap<string, string> };
  /** The head's config text when the change edits it: validated and reported, never applied. */
  headConfig?: string;
  /** Every path the change touches (both paths of a rename), manifest or not. */
  changedFiles: readonly string[];
  catalog: Catalog;
  /** The evaluation time, ISO 8601: waivers expire against it. */
  now: string;
  /** Without them, the approval rules (CHG-*) are left out of the verdict. */
  review?: ReviewInputs;
  /** Merge queues: rules only, approvals having gated each pull request already. */
  rulesOnly?: boolean;
  /** Problems the adapter met reading the head (a file too large to read): errors fail the check. */
  readDiagnostics?: Diagnostic[];
}

export type Conclusion = "success" | "failure";

/** Findings that block, the requirement that is unmet, the error that stops the gate: all in one tree. */
export interface Verdict {
  conclusion: Conclusion;
  /** The outcome in one line. */
  title: string;
  config: Config;
  changes: ChangeSet;
  /** Head findings, most severe first, each marked whether it blocks. */
  findings: (Finding & { blocking: boolean })[];
  approvals?: ApprovalEvaluation;
  diagnostics: {
    /** The base branch's config (an invalid one fails the check, never falls back silently). */
    config: Diagnostic[];
    /** The head's manifests and its config edit: errors here fail the check. */
    head: Diagnostic[];
    /** The merge base's manifests: shown, not blocking. */
    base: Diagnostic[];
    /** meshgate's own rule catalog. */
    catalog: Diagnostic[];
  };
  base: RenderResult;
  head: RenderResult;
  /** The files of the head and the policy files read, sorted: where findings can be annotated. */
  files: string[];
}

/**
 * The pipeline: config → render both sides → diff → rules on both → findings → approvals →
 * verdict. Pure: every input is data, the clock included. `memo` only saves work: a file
 * rendered before (on the other side, or by an earlier evaluation given the same memo) is not
 * rendered again.
 */
export function evaluate(inputs: EvaluationInputs, options: { memo?: RenderMemo; evaluations?: DefinitionEvaluations } = {}): Verdict {
  // 1. Policy from the base branch.
  const { config, diagnostics: configDiagnostics } = loadConfig(inputs.policy.config);

  // 2. Render both sides, and diff them.
  const memo = options.memo ?? new RenderMemo();
  // What earlier evaluations left beyond the memo's bound goes now, not while this one renders.
  memo.trim();
  // Each side renders with its own definitions: a PR that edits one shows its effect on every Application using it.
  const base = renderSnapshot(inputs.base, config, memo, options.evaluations);
  const head = renderSnapshot(inputs.head, config, memo, options.evaluations);
  const changes = diffRenders(base, head, { mesh: config.mesh });
  const headDiagnostics = [...(inputs.readDiagnostics ?? []), ...head.diagnostics, ...(inputs.headConfig !== undefined ? loadConfig(inputs.headConfig).diagnostics : [])];

  // 3. Rules on both sides: a head finding the base already had is pre-existing.
  const baseIndex = buildMeshIndex(base, config);
  const headIndex = buildMeshIndex(head, config);
  const rules = inputs.catalog.rules;
  const overrides = config.rules.overrides;
  const baseFindings = runRules({ rules, overrides, input: { render: base, index: baseIndex, config } });
  const headFindings = runRules({ rules, overrides, input: { render: head, index: headIndex, config, base: { render: base, index: baseIndex } } });
  const findings = classifyFindings({ head: headFindings, base: baseFindings, waivers: config.waivers, today: inputs.now.slice(0, 10) })
    .map((f) => ({ ...f, blocking: isBlocking(f, config.rules) }))
    .sort(compareFindings);

  // 4. Approvals, when the people and reviews are known.
  const approvals = inputs.review && !inputs.rulesOnly
    ? evaluateApprovals({
        ...inputs.review,
        changedFiles: inputs.changedFiles,
        codeowners: findCodeowners(inputs.policy.files),
        approvals: config.approvals,
        securityChanges: changes.changes.filter((c) => isSecurityRelevantChange(c.before?.object, c.after?.object)).map((c) => ({ kind: c.kind, namespace: c.namespace, name: c.name })),
      })
    : undefined;

  // 5. The verdict.
  const diagnostics = { config: configDiagnostics, head: headDiagnostics, base: base.diagnostics, catalog: inputs.catalog.diagnostics };
  const errors = [...diagnostics.config, ...diagnostics.head, ...diagnostics.catalog].filter((d) => d.severity === "error");
  const blocking = findings.filter((f) => f.blocking);
  const unmet = approvals ? approvals.requirements.filter((r) => r.status !== "satisfied") : [];
  const conclusion: Conclusion = errors.length > 0 || blocking.length > 0 || unmet.length > 0 ? "failure" : "success";
  return {
    conclusion,
    title: titleOf({ conclusion, changes, findings, errors: errors.length, unmet: unmet.length }),
    config,
    changes,
    findings,
    ...(approvals ? { approvals } : {}),
    diagnostics,
    base,
    head,
    files: [...new Set([...inputs.head.files.keys(), ...inputs.policy.files.keys()])].sort(),
  };
}

function titleOf(params: { conclusion: Conclusion; changes: ChangeSet; findings: readonly (Finding & { blocking: boolean })[]; errors: number; unmet: number }): string {
  const { conclusion, changes, findings, errors, unmet } = params;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const changed = changes.changes.length === 0 ? "no mesh changes" : count(changes.changes.length, "mesh change");
  if (conclusion === "success") {
    const open = findings.filter((f) => f.status !== "waived").length;
    return `Passed: ${changed}${open > 0 ? `, ${count(open, "non-blocking finding")}` : ""}`;
  }
  const reasons = [
    ...(errors > 0 ? [count(errors, "error")] : []),
    ...(findings.some((f) => f.blocking) ? [count(findings.filter((f) => f.blocking).length, "blocking finding")] : []),
    ...(unmet > 0 ? [`${count(unmet, "approval requirement")} unmet`] : []),
  ];
  return `Failed: ${reasons.join(", ")} (${changed})`;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}

const STATUS_ORDER: Record<Finding["status"], number> = { new: 0, preexisting: 1, waived: 2 };
