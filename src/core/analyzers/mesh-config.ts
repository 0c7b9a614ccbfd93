import { parseYamlFile } from "../manifests/yaml-file.js";
import type { Diagnostic, JsonValue } from "../types.js";
import { asArray, asObject, at, type AnalyzerMesh } from "./analyzer.js";

/**
 * Reads the fields of an Istio MeshConfig (the `mesh` key of the istio ConfigMap, as YAML) that
 * the analyzers use, over `base`. Anything else in it is Istio's and left alone; a field of the
 * wrong type is a diagnostic and keeps the default.
 */
export function readMeshConfig(params: { file: string; text: string; base: AnalyzerMesh }): { mesh: AnalyzerMesh; diagnostics: Diagnostic[] } {
  const { file, text, base } = params;
  const parsed = parseYamlFile(file, text);
  const diagnostics = [...parsed.diagnostics];
  const document = parsed.documents[0];
  const mesh: AnalyzerMesh = { ...base, extensionProviders: [...base.extensionProviders] };
  if (!document) return { mesh, diagnostics };
  const value = document.value as JsonValue;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    diagnostics.push({ file, line: document.lineOf([]), severity: "error", message: "a mesh config must be a YAML mapping (Istio's MeshConfig)" });
    return { mesh, diagnostics };
  }
  const root = at(value, "rootNamespace");
  if (typeof root === "string" && root !== "") mesh.rootNamespace = root;
  else if (root !== undefined) diagnostics.push({ file, line: document.lineOf(["rootNamespace"]), severity: "error", message: "rootNamespace must be a namespace name" });
  const metadata = asObject(at(value, "defaultConfig", "proxyMetadata"));
  const flag = (value: JsonValue | undefined): boolean => (typeof value === "string" || typeof value === "boolean") && String(value).toLowerCase() === "true";
  mesh.dnsAutoAllocate = flag(metadata.ISTIO_META_DNS_AUTO_ALLOCATE) && flag(metadata.ISTIO_META_DNS_CAPTURE);
  for (const provider of asArray(at(value, "extensionProviders"))) {
    const name = at(provider, "name");
    if (typeof name !== "string") continue;
    const type = Object.keys(asObject(provider)).find((key) => key !== "name") ?? "";
    mesh.extensionProviders.push({ name, type });
  }
  const defaults = asObject(at(value, "defaultProviders"));
  mesh.hasDefaultProviders = Object.values(defaults).some((list) => asArray(list).length > 0);
  mesh.hasDefaultAccessLogging = asArray(defaults.accessLogging).length > 0;
  return { mesh, diagnostics };
}
