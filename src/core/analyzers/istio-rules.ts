import { stringify } from "yaml";
import type { Severity } from "../config/config.js";
import { ISTIO_CODES, ruleIdOf, type IstioCode, type IstioLevel } from "./codes.js";
import { implementedCodes } from "./run-analyzers.js";

/** The gate's severity of an Istio level. */
export const SEVERITY_OF_LEVEL: Readonly<Record<IstioLevel, Severity>> = { Error: "high", Warning: "medium", Info: "low" };

/**
 * The catalog files of the IST codes the analyzers report, generated from the code registry
 * (`npm run generate` writes them; a test holds them equal): `rules/IST-<nnn>.yaml` → text.
 */
export function istioRuleFiles(): Map<string, string> {
  return new Map(gateCodes().map((c) => [`rules/${ruleIdOf(c.code)}.yaml`, istioRuleYaml(c)]));
}

/** The codes the gate judges as IST rules: those the analyzers report, but for those another rule covers. */
export function gateCodes(): IstioCode[] {
  const implemented = new Set(implementedCodes());
  return ISTIO_CODES.filter((c) => implemented.has(c.code) && c.coveredBy === undefined);
}

function istioRuleYaml(entry: IstioCode): string {
  const rule = {
    id: ruleIdOf(entry.code),
    title: `${entry.code} ${words(entry.name)}`,
    severity: SEVERITY_OF_LEVEL[entry.level],
    controls: entry.controls,
    description: `${entry.description} Istio's analyzer message ${entry.code} (${entry.name}, level ${entry.level}), as \`meshgate analyze\` and \`istioctl analyze\` report it.`,
    remediation: entry.remediation,
    message: "[{code}] {message}{suppressed}",
    check: { template: "istio-analyzer", params: { code: entry.code } },
  };
  return `# Generated from src/core/analyzers/codes.ts by \`npm run generate\`: edit the registry, not this file.\n${stringify(rule, { lineWidth: 100 })}`;
}

/** `ReferencedResourceNotFound` → `Referenced resource not found`. */
function words(name: string): string {
  // Istio abbreviates RequestAuthentication as `AuthN` in some names.
  const split = name.replace(/AuthN(?=[A-Z]|$)/g, "Authentication").replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  return split.charAt(0) + split.slice(1).toLowerCase();
}
