import { defaultConfig, type Config } from "../../src/core/config/config.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import type { Diagnostic, RenderResult, Resource } from "../../src/core/types.js";
import { renderYaml } from "../../src/report/render-output.js";

/** Renders files given as path → YAML text, with the default config unless one is given. */
export function renderFiles(files: Record<string, string>, config: Config = defaultConfig()): RenderResult {
  return renderSnapshot({ files: new Map(Object.entries(files)) }, config);
}

/** An Application `shop` in namespace `shop` with the given component list (YAML list items, unindented). */
export function appWithComponents(componentsYaml: string): string {
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shop
  namespace: shop
spec:
  components:
${componentsYaml.replace(/^/gm, "    ").trimEnd()}
`;
}

/** An Application `shop` in namespace `shop` with one webservice component `frontend` (port 8080) and the given traits. */
export function appWithTraits(traitsYaml: string, options: { ports?: string; name?: string } = {}): string {
  const ports = options.ports ?? "ports:\n      - port: 8080";
  return appWithComponents(`- name: ${options.name ?? "frontend"}
  type: webservice
  properties:
    image: ghcr.io/acme/frontend:1.4.2
    ${ports}
  traits:
${traitsYaml.replace(/^/gm, "    ").trimEnd()}`);
}

export function ofKind(result: RenderResult, kind: string, name?: string): Resource[] {
  return result.resources.filter((r) => r.object.kind === kind && (name === undefined || r.object.metadata.name === name));
}

/** The YAML of the resources of the given kinds (all when none given): what a reviewer reads. */
export function yamlOf(result: RenderResult, ...kinds: string[]): string {
  return renderYaml(kinds.length === 0 ? result.resources : result.resources.filter((r) => kinds.includes(r.object.kind)));
}

export function errorsOf(result: RenderResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}
