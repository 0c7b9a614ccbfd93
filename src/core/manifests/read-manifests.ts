import picomatch from "picomatch";
import type { Config } from "../config/config.js";
import { compileSchema } from "../schema-check.js";
import type { Diagnostic, JsonObject, KubeObject, Snapshot } from "../types.js";
import { applicationSchema } from "./application-schema.js";
import { parseYamlFile, type NodePath, type YamlDocument } from "./yaml-file.js";

export interface TraitSpec {
  type: string;
  properties: JsonObject;
  /** Path of the trait inside its document, for line lookups. */
  path: NodePath;
}

export interface ComponentSpec {
  name: string;
  type: string;
  properties: JsonObject;
  traits: TraitSpec[];
  path: NodePath;
}

export interface ApplicationManifest {
  document: YamlDocument;
  name: string;
  namespace: string;
  components: ComponentSpec[];
}

/** A raw Kubernetes document (Istio config, or a Service read as inventory) and where it is. */
export interface RawManifest {
  document: YamlDocument;
  object: KubeObject;
}

export interface ManifestSet {
  applications: ApplicationManifest[];
  istio: RawManifest[];
  services: RawManifest[];
  diagnostics: Diagnostic[];
}

export const ISTIO_GROUPS: ReadonlySet<string> = new Set(["networking.istio.io", "security.istio.io", "telemetry.istio.io"]);
const OAM_GROUP = "core.oam.dev";

const checkApplication = compileSchema(applicationSchema);

/**
 * Whether the config's include/exclude globs select a path as a manifest file. Vendored
 * dependencies (`node_modules`) are never the repository's manifests, whatever the globs say.
 */
export function manifestMatcher(manifests: Config["manifests"]): (path: string) => boolean {
  const included = picomatch(manifests.include);
  const excluded = manifests.exclude.length > 0 ? picomatch(manifests.exclude) : () => false;
  return (path) => included(path) && !excluded(path) && !path.split("/").includes("node_modules");
}

/** The manifest files of a snapshot, as the config selects them, sorted: the order every stage reads them in. */
export function manifestFiles(snapshot: Snapshot, config: Pick<Config, "manifests">): string[] {
  return [...snapshot.files.keys()].filter(manifestMatcher(config.manifests)).sort();
}

/**
 * The OAM Applications, raw Istio documents and raw Services of one file: what it holds depends
 * on its path, its text and the default namespace only. Documents of any other kind are ignored
 * silently; every problem is a diagnostic, never an exception, and one bad document does not
 * hide the others.
 */
export function readManifestFile(params: { file: string; text: string; defaultNamespace: string }): ManifestSet {
  const set: ManifestSet = { applications: [], istio: [], services: [], diagnostics: [] };
  const parsed = parseYamlFile(params.file, params.text);
  set.diagnostics.push(...parsed.diagnostics);
  for (const document of parsed.documents) classify(document, params.defaultNamespace, set);
  return set;
}

function classify(document: YamlDocument, defaultNamespace: string, set: ManifestSet): void {
  const value = document.value;
  if (!isObject(value) || typeof value.apiVersion !== "string" || typeof value.kind !== "string") return;
  const { apiVersion, kind } = value;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
  const diagnostic = (severity: Diagnostic["severity"], message: string, path: NodePath = []): void => {
    set.diagnostics.push({ file: document.file, line: document.lineOf(path), severity, message });
  };

  if (group === OAM_GROUP) {
    if (version === "v1beta1" && kind === "Application") readApplication(document, value, defaultNamespace, set);
    else if (version !== "v1beta1") diagnostic("warning", `unsupported OAM version ${apiVersion} (${kind}): meshgate reads core.oam.dev/v1beta1 Applications only, so this document is not rendered; migrate it to an Application`, ["apiVersion"]);
    return;
  }
  const isIstio = group !== undefined && ISTIO_GROUPS.has(group);
  const isService = apiVersion === "v1" && kind === "Service";
  if (!isIstio && !isService) return;

  const metadata = value.metadata;
  if (!isObject(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    diagnostic("error", `${kind} has no metadata.name: Kubernetes rejects it`, ["metadata"]);
    return;
  }
  if (metadata.namespace !== undefined && typeof metadata.namespace !== "string") {
    diagnostic("error", `${kind} ${metadata.name}: metadata.namespace must be a string`, ["metadata", "namespace"]);
    return;
  }
  if (value.spec !== undefined && !isObject(value.spec)) {
    diagnostic("error", `${kind} ${metadata.name}: spec must be a mapping`, ["spec"]);
    return;
  }
  // Kubernetes would apply a namespace-less document to the current namespace; the config's
  // defaultNamespace stands for it so that identities are stable.
  const object = { ...value, metadata: { ...metadata, name: metadata.name, namespace: metadata.namespace ?? defaultNamespace } } as KubeObject;
  (isIstio ? set.istio : set.services).push({ document, object });
}

function readApplication(document: YamlDocument, value: JsonObject, defaultNamespace: string, set: ManifestSet): void {
  const issues = checkApplication(value);
  for (const issue of issues) {
    set.diagnostics.push({ file: document.file, line: document.lineOf(issue.path), severity: "error", message: `invalid Application: ${issue.message}` });
  }
  if (issues.length > 0) return;
  const app = value as unknown as {
    metadata: { name: string; namespace?: string };
    spec: { components: { name: string; type: string; properties?: JsonObject; traits?: { type: string; properties?: JsonObject }[] }[] };
  };
  set.applications.push({
    document,
    name: app.metadata.name,
    namespace: app.metadata.namespace ?? defaultNamespace,
    components: app.spec.components.map((component, c) => ({
      name: component.name,
      type: component.type,
      properties: component.properties ?? {},
      path: ["spec", "components", c],
      traits: (component.traits ?? []).map((trait, t) => ({
        type: trait.type,
        properties: trait.properties ?? {},
        path: ["spec", "components", c, "traits", t],
      })),
    })),
  });
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
