import picomatch from "picomatch";
import type { Config } from "../config/config.js";
import { compileSchema } from "../schema-check.js";
import { isMeshGroup, kindInfo, splitApiVersion } from "../kinds.js";
import type { Diagnostic, JsonObject, JsonValue, KubeObject, ObjectMeta, Snapshot } from "../types.js";
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

/** A raw document of a kind the registry knows, as the cluster would apply it, and where it is. */
export interface RawManifest {
  document: YamlDocument;
  object: KubeObject;
}

export interface ManifestSet {
  applications: ApplicationManifest[];
  /** Documents of the registry's kinds (Istio, Gateway API, Services, workloads, …), List items included. */
  raw: RawManifest[];
  diagnostics: Diagnostic[];
}

const OAM_GROUP = "core.oam.dev";

const checkApplication = compileSchema(applicationSchema);

/** Extensions kubectl reads from a directory (`kubectl apply -R -f`): the default manifest globs. */
export const MANIFEST_EXTENSIONS: readonly string[] = [".yaml", ".yml", ".json"];

/**
 * Whether the config's include/exclude globs select a path as a manifest file. Dot-files and
 * dot-directories match as kubectl reads them; git's own directory and vendored dependencies
 * (`node_modules`) are never the repository's manifests, whatever the globs say.
 */
export function manifestMatcher(manifests: Config["manifests"]): (path: string) => boolean {
  const included = picomatch(manifests.include, { dot: true });
  const excluded = manifests.exclude.length > 0 ? picomatch(manifests.exclude, { dot: true }) : () => false;
  return (path) => included(path) && !excluded(path) && !isNeverRead(path);
}

/** What a redacted value (a Secret's data) reads as. */
export const REDACTED = "(redacted: meshgate does not read it)";

/** Paths no walk enters and no config can select: git's own files, installed packages. */
export function isNeverRead(path: string): boolean {
  return path.split("/").some((part) => part === ".git" || part === "node_modules");
}

/** The manifest files of a snapshot, as the config selects them, sorted: the order every stage reads them in. */
export function manifestFiles(snapshot: Snapshot, config: Pick<Config, "manifests">): string[] {
  return [...snapshot.files.keys()].filter(manifestMatcher(config.manifests)).sort();
}

/**
 * The OAM Applications and raw documents of one file: what it holds depends on its path, its
 * text and the default namespace only. `List` kinds are flattened into their items, as kubectl
 * does. Documents of kinds the mesh does not depend on are ignored silently; a kind of an Istio
 * or Gateway API group that meshgate does not model is an error (it fails closed). Every problem
 * is a diagnostic, never an exception, and one bad document does not hide the others.
 */
export function readManifestFile(params: { file: string; text: string; defaultNamespace: string }): ManifestSet {
  const set: ManifestSet = { applications: [], raw: [], diagnostics: [] };
  const parsed = parseYamlFile(params.file, params.text);
  set.diagnostics.push(...parsed.diagnostics);
  for (const document of parsed.documents) classify(document, params.defaultNamespace, set);
  return set;
}

/** A List's item as a document of its own: its lines are still those of the file. */
function itemDocument(list: YamlDocument, index: number, value: JsonValue): YamlDocument {
  const prefix = ["items", index];
  return { file: list.file, index: list.index, line: list.lineOf(prefix), value, lineOf: (path) => list.lineOf([...prefix, ...path]) };
}

function classify(document: YamlDocument, defaultNamespace: string, set: ManifestSet): void {
  const value = document.value;
  if (!isObject(value)) return;
  const diagnostic = (severity: Diagnostic["severity"], message: string, path: NodePath = []): void => {
    set.diagnostics.push({ file: document.file, line: document.lineOf(path), severity, message });
  };
  // kubectl flattens `List` and every `*List` kind into its items (nesting is bounded by the parser's depth limit).
  if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
    value.items.forEach((item, i) => { classify(itemDocument(document, i, item), defaultNamespace, set); });
    return;
  }
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") return;
  const { apiVersion, kind } = value;
  const [group, version] = splitApiVersion(apiVersion);

  if (group === OAM_GROUP) {
    if (version === "v1beta1" && kind === "Application") readApplication(document, value, defaultNamespace, set);
    else if (version !== "v1beta1") diagnostic("warning", `unsupported OAM version ${apiVersion} (${kind}): meshgate reads core.oam.dev/v1beta1 Applications only, so this document is not rendered; migrate it to an Application`, ["apiVersion"]);
    return;
  }
  const info = kindInfo({ apiVersion, kind });
  if (!info) {
    if (isMeshGroup(group)) diagnostic("error", `${kind} (${apiVersion}) is not modelled by meshgate: it fails closed, since what it does to the mesh cannot be judged`, ["kind"]);
    return;
  }

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
  for (const key of ["labels", "annotations"] as const) {
    const map = metadata[key];
    if (map !== undefined && !(isObject(map) && Object.values(map).every((v) => typeof v === "string"))) {
      diagnostic("error", `${kind} ${metadata.name}: metadata.${key} must map keys to strings (quote values such as "false")`, ["metadata", key]);
      return;
    }
  }
  // Kubernetes would apply a namespace-less document to the current namespace; the config's
  // defaultNamespace stands for it so that identities are stable. Cluster-scoped kinds have none.
  const meta = { ...metadata, name: metadata.name } as ObjectMeta;
  if (info.clusterScoped) delete meta.namespace;
  else meta.namespace = metadata.namespace ?? defaultNamespace;
  const object = { ...value, metadata: meta } as KubeObject;
  for (const field of info.redact ?? []) {
    const held = value[field];
    if (isObject(held)) (object as unknown as JsonObject)[field] = Object.fromEntries(Object.keys(held).map((key) => [key, REDACTED]));
  }
  set.raw.push({ document, object });
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
