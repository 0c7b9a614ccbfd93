import picomatch from "picomatch";
import type { Config } from "../config/config.js";
import { compileSchema } from "../schema-check.js";
import { isMeshGroup, kindInfo, splitApiVersion } from "../kinds.js";
import { isDefinitionKind, readDefinition, type DefinitionManifest } from "../definitions/read-definition.js";
import type { Diagnostic, JsonObject, JsonValue, KubeObject, ObjectMeta, Snapshot, UnreadDocument } from "../types.js";
import { readApplicationPlan, type ApplicationPlan } from "./application-policies.js";
import { applicationSchema } from "./application-schema.js";
import { meshDocumentsInText, templateExpressionLine } from "./mesh-text.js";
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
  /** Its environments and canary steps, from its policies and workflow. */
  plan: ApplicationPlan;
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
  /** KubeVela TraitDefinitions and ComponentDefinitions (also raw documents: a change of one is a change of the revision). */
  definitions: DefinitionManifest[];
  diagnostics: Diagnostic[];
  /** Mesh documents in text that could not be parsed (templates left out: they are a notice). */
  unread: UnreadDocument[];
  /** Documents of a mesh group whose kind meshgate does not model (each also an error diagnostic). */
  unmodelled: { line: number; apiVersion: string; kind: string }[];
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
  const scope = manifestScope(manifests);
  return (path) => scope(path) === "read";
}

/** Where a path stands for the gate: read as a manifest, left out by the config, or never a manifest. */
export type PathScope = "read" | "excluded" | "not-included" | "other";

/**
 * How the config's globs place a path. A file kubectl would apply (`.yaml`, `.yml`, `.json`)
 * that the globs leave out is `excluded` or `not-included`: the gate still looks into it for
 * mesh documents (SCOPE-001), so a config cannot make it blind without saying so.
 */
export function manifestScope(manifests: Config["manifests"]): (path: string) => PathScope {
  const included = picomatch(manifests.include, { dot: true });
  const excluded = manifests.exclude.length > 0 ? picomatch(manifests.exclude, { dot: true }) : () => false;
  return (path) => {
    if (isNeverRead(path)) return "other";
    const isIncluded = included(path);
    if (isIncluded && !excluded(path)) return "read";
    if (!isScopeCandidate(path)) return "other";
    return isIncluded ? "excluded" : "not-included";
  };
}

/** Whether a path is one kubectl reads from a directory: what adapters hand the core beside the selected manifests. */
export function isScopeCandidate(path: string): boolean {
  const lower = path.toLowerCase();
  return !isNeverRead(path) && MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension));
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
  const set: ManifestSet = { applications: [], raw: [], definitions: [], diagnostics: [], unread: [], unmodelled: [] };
  const parsed = parseYamlFile(params.file, params.text);
  const templateLine = templateExpressionLine(params.text);
  // A template (a Helm chart's file) is read by its renderer, not by YAML: its syntax errors
  // are not the repository's, and what it renders to is not in it. Documents that still parse
  // are read as kubectl would read them, so a template expression in a comment hides nothing.
  const template = templateLine === undefined ? [] : parsed.rejected.filter((rejected) => rejected.syntaxErrors !== undefined);
  const dropped = new Set(template.flatMap((rejected) => rejected.syntaxErrors ?? []));
  set.diagnostics.push(...parsed.diagnostics.filter((diagnostic) => !dropped.has(diagnostic)));
  for (const document of parsed.documents) classify(document, params.defaultNamespace, set);
  if (templateLine !== undefined && template.length > 0) {
    const shown = [...new Set(template.flatMap((rejected) => meshDocumentsInText(rejected)).map((found) => `${found.kind} at line ${found.line}`))];
    const holds = shown.length > 0 ? ` It shows ${shown.join(", ")}: meshgate cannot see what that renders to, so it is neither rendered nor judged.` : "";
    set.diagnostics.push({ file: params.file, line: templateLine, severity: "notice", message: `a template ({{ … }} at line ${templateLine}): a renderer such as Helm fills it in before anything is applied, so the part YAML cannot read is not read as a manifest.${holds} Commit the rendered output to have it judged.` });
  }
  for (const rejected of parsed.rejected) {
    if (template.includes(rejected)) continue;
    for (const document of meshDocumentsInText(rejected)) {
      set.unread.push({ file: params.file, line: document.line, apiVersion: document.apiVersion, kind: document.kind, ...(document.name !== undefined ? { name: document.name } : {}), ...(document.namespace !== undefined ? { namespace: document.namespace } : {}), reason: "unparsable" });
    }
  }
  return set;
}

/**
 * A List's item as a document of its own: its lines are still those of the file. An item that
 * names neither apiVersion nor kind takes the List's (`kind: EnvoyFilterList` holds EnvoyFilters),
 * as apimachinery's unstructured list decoder does.
 */
function itemDocument(list: YamlDocument, listValue: JsonObject, index: number, value: JsonValue): YamlDocument {
  const prefix = ["items", index];
  let item = value;
  if (isObject(value) && value.apiVersion === undefined && value.kind === undefined && typeof listValue.kind === "string" && listValue.kind.endsWith("List") && listValue.kind !== "List") {
    item = { ...value, apiVersion: listValue.apiVersion ?? null, kind: listValue.kind.slice(0, -"List".length) };
  }
  return { file: list.file, index: list.index, line: list.lineOf(prefix), value: item, lineOf: (path) => list.lineOf([...prefix, ...path]) };
}

function classify(document: YamlDocument, defaultNamespace: string, set: ManifestSet): void {
  const value = document.value;
  if (!isObject(value)) return;
  const diagnostic = (severity: Diagnostic["severity"], message: string, path: NodePath = []): void => {
    set.diagnostics.push({ file: document.file, line: document.lineOf(path), severity, message });
  };
  // kubectl flattens `List` and every `*List` kind into its items: its decoder takes any object
  // with an `items` array for a list, whatever its kind says (nesting is bounded by the parser).
  if (Array.isArray(value.items)) {
    const items = value.items;
    items.forEach((item, i) => { classify(itemDocument(document, value, i, item), defaultNamespace, set); });
    return;
  }
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string") return;
  const { apiVersion, kind } = value;
  const [group, version] = splitApiVersion(apiVersion);

  if (group === OAM_GROUP && !(version === "v1beta1" && isDefinitionKind(kind))) {
    if (version === "v1beta1" && kind === "Application") readApplication(document, value, defaultNamespace, set);
    else if (version !== "v1beta1") diagnostic("warning", `unsupported OAM version ${apiVersion} (${kind}): meshgate reads core.oam.dev/v1beta1 Applications only, so this document is not rendered; migrate it to an Application`, ["apiVersion"]);
    return;
  }
  const info = kindInfo({ apiVersion, kind });
  if (!info) {
    if (isMeshGroup(group)) {
      diagnostic("error", `${kind} (${apiVersion}) is not modelled by meshgate: it fails closed, since what it does to the mesh cannot be judged`, ["kind"]);
      set.unmodelled.push({ line: document.lineOf(["kind"]), apiVersion, kind });
    }
    return;
  }

  const metadata = value.metadata;
  if (info.readsOnly && !(isObject(metadata) && typeof metadata.name === "string" && info.readsOnly.matches(metadata.name))) return;
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
  if (group === OAM_GROUP && isDefinitionKind(kind)) {
    const read = readDefinition(document, value, kind);
    set.diagnostics.push(...read.diagnostics);
    if (read.definition) set.definitions.push(read.definition);
  }
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
  const namespace = app.metadata.namespace ?? defaultNamespace;
  const components = app.spec.components.map((component, c): ComponentSpec => ({
      name: component.name,
      type: component.type,
      properties: component.properties ?? {},
      path: ["spec", "components", c],
      traits: (component.traits ?? []).map((trait, t) => ({
        type: trait.type,
        properties: trait.properties ?? {},
        path: ["spec", "components", c, "traits", t],
      })),
  }));
  const { plan, diagnostics } = readApplicationPlan({ document, spec: value.spec as JsonObject, components, namespace });
  set.diagnostics.push(...diagnostics);
  set.applications.push({ document, name: app.metadata.name, namespace, components, plan });
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
