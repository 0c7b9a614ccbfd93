import { defaultConfig, type Config } from "../../src/core/config/config.js";
import type { DiagnosticSeverity, JsonObject, RenderResult } from "../../src/core/types.js";
import { appWithComponents, ofKind } from "./render.js";

/** `[line, message]` of the diagnostics of one severity, in output order: what a test pins. */
export function diagnosticsOf(result: RenderResult, severity: DiagnosticSeverity): [number, string][] {
  return result.diagnostics.filter((d) => d.severity === severity).map((d) => [d.line, d.message]);
}

/** The spec of the one resource of that kind and name; fails the test when there is not exactly one. */
export function specOf(result: RenderResult, kind: string, name: string): JsonObject | undefined {
  const found = ofKind(result, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]?.object.spec;
}

/** The default config with the `mesh` keys given replaced. */
export function configWithMesh(mesh: Partial<Config["mesh"]>): Config {
  const config = defaultConfig();
  return { ...config, mesh: { ...config.mesh, ...mesh } };
}

/**
 * An Application `shop` in namespace `shop` whose one component `legacy` has a type meshgate
 * does not know, so the ports it serves are unknown to the traits.
 */
export function appOfUnknownType(traitsYaml: string): string {
  return appWithComponents(`- name: legacy
  type: helm-release
  traits:
${traitsYaml.replace(/^/gm, "    ").trimEnd()}`);
}
