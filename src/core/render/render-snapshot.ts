import { CONFIG_PATH, defaultConfig, type Config } from "../config/config.js";
import { DefinitionEvaluations, PendingEvaluation } from "../definitions/definition-evaluations.js";
import type { DefinitionManifest } from "../definitions/read-definition.js";
import { manifestFiles, manifestScope, readManifestFile } from "../manifests/read-manifests.js";
import picomatch from "picomatch";
import type { Diagnostic, RenderResult, Snapshot, UnreadDocument } from "../types.js";
import { combineFileRenders, renderManifestFile, type FileRender, type RepositoryDefinitions } from "./render.js";
import { RenderMemo, settingsKey } from "./render-memo.js";

/** Rounds of deferred evaluation before giving up batching: more than any chain of traits needs. */
const MAX_ROUNDS = 64;

/**
 * Snapshot → rendered mesh: each manifest file read and rendered on its own, through `memo`
 * (pass the same one for both sides of a change, and across changes, so that a file already
 * rendered is not rendered again), then combined. The snapshot's own TraitDefinitions and
 * ComponentDefinitions render the types they name, through `evaluations` (pass the same one
 * for both sides and across changes too: its memo is what makes an unchanged repository cost
 * no CUE evaluation). Without an evaluator, every type a definition names fails closed.
 *
 * A snapshot may hold, beside the files the config selects, the other files kubectl would apply
 * (`isScopeCandidate`): those are not rendered, but their mesh documents are listed in
 * `unread` (SCOPE-001), so that excluding a path never hides a mesh change silently.
 */
export function renderSnapshot(
  snapshot: Snapshot,
  config: Pick<Config, "manifests" | "defaultNamespace" | "mesh">,
  memo: RenderMemo = new RenderMemo(),
  evaluations?: DefinitionEvaluations,
): RenderResult {
  const paths = manifestFiles(snapshot, config);
  const found = findDefinitions(snapshot, paths, config.defaultNamespace);
  const definitions: RepositoryDefinitions | undefined = found.keys.size === 0
    ? undefined
    : { traits: found.traits, components: found.components, evaluations: evaluations ?? new DefinitionEvaluations(undefined) };
  const settings = settingsKey(config);
  // A file's render depends on the definitions of the types it uses (their text and place), and
  // of no other; and, when it uses one, on the evaluator: a render made while CUE was stopped,
  // or without CUE, is not reused once it runs again.
  const evaluator = definitions ? `${definitions.evaluations.epoch}\u0000${definitions.evaluations.hasEvaluator}` : "";
  const dependencies = (render: FileRender): string => {
    const keys = render.definitionTypes.map((type) => found.keys.get(type) ?? "");
    return keys.some((k) => k !== "") ? `${keys.join("\u0001")}\u0000${evaluator}` : "";
  };
  const renderAll = (): (FileRender | undefined)[] =>
    paths.map((file) => {
      const text = snapshot.files.get(file) ?? "";
      try {
        return memo.renderOf({ settings, file, text, dependencies, render: () => renderManifestFile({ file, text, config, ...(definitions ? { definitions } : {}) }) });
      } catch (error) {
        if (error instanceof PendingEvaluation) return undefined;
        throw error;
      }
    });

  let files: (FileRender | undefined)[];
  const pending = definitions?.evaluations.hasEvaluator ? definitions.evaluations : undefined;
  if (!pending) {
    files = renderAll();
  } else {
    // Render everything, evaluate what was missing one program per definition, render again:
    // each round takes every component one definition further.
    pending.deferring = true;
    try {
      for (let round = 0; ; round++) {
        files = renderAll();
        if (files.every((f) => f !== undefined) || !pending.pending || round >= MAX_ROUNDS) break;
        pending.flush();
      }
    } finally {
      pending.deferring = false;
    }
    if (files.some((f) => f === undefined)) files = renderAll();
  }
  const result = combineFileRenders(files.filter((f): f is FileRender => f !== undefined));
  const unread = [...(result.unread ?? []), ...outOfScope(snapshot, config)];
  // A definition that does not evaluate is reported by every component of its type: once is enough.
  const seen = new Set<string>();
  const read = [...result.diagnostics, ...found.diagnostics]
    .filter((d) => {
      const key = `${d.file}\u0000${d.line}\u0000${d.severity}\u0000${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const diagnostics = [...read, ...unmatchedIncludes(snapshot, config)];
  return { ...result, diagnostics, ...(unread.length > 0 ? { unread } : {}) };
}

/**
 * The snapshot's definitions by name. KubeVela keeps one definition of a name: a second one is
 * an error (the first is used), never a silent choice.
 */
function findDefinitions(snapshot: Snapshot, paths: readonly string[], defaultNamespace: string): { traits: Map<string, DefinitionManifest>; components: Map<string, DefinitionManifest>; diagnostics: Diagnostic[]; keys: Map<string, string> } {
  const traits = new Map<string, DefinitionManifest>();
  const components = new Map<string, DefinitionManifest>();
  const diagnostics: Diagnostic[] = [];
  /** By `component:<name>` and `trait:<name>` (FileRender.definitionTypes): all a render takes from a definition. */
  const keys = new Map<string, string>();
  for (const file of paths) {
    const text = snapshot.files.get(file) ?? "";
    // Cheap first: only a file that names a definition kind is read for definitions.
    if (!text.includes("Definition")) continue;
    for (const definition of readManifestFile({ file, text, defaultNamespace }).definitions) {
      const byName = definition.kind === "trait" ? traits : components;
      const first = byName.get(definition.name);
      if (first) {
        diagnostics.push({ file, line: definition.line, severity: "error", message: `${definition.kind === "trait" ? "TraitDefinition" : "ComponentDefinition"} ${definition.name} is also defined at ${first.file}:${first.line}: KubeVela keeps one definition of a name, so which one applies is not decided by the repository; remove one` });
        continue;
      }
      byName.set(definition.name, definition);
      keys.set(`${definition.kind}:${definition.name}`, JSON.stringify([definition.file, definition.line, definition.templateLine, definition.template]));
    }
  }
  return { traits, components, diagnostics, keys };
}

/** The mesh documents of the snapshot's files that the config leaves out. */
function outOfScope(snapshot: Snapshot, config: Pick<Config, "manifests" | "defaultNamespace">): UnreadDocument[] {
  const scope = manifestScope(config.manifests);
  const unread: UnreadDocument[] = [];
  for (const [file, text] of [...snapshot.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const where = scope(file);
    if (where !== "excluded" && where !== "not-included") continue;
    // Every mesh document names its kind: a file without the word holds none (package-lock.json).
    if (!text.includes("kind")) continue;
    const set = readManifestFile({ file, text, defaultNamespace: config.defaultNamespace });
    for (const app of set.applications) {
      unread.push({ file, line: app.document.line, apiVersion: "core.oam.dev/v1beta1", kind: "Application", name: app.name, namespace: app.namespace, reason: where });
    }
    for (const raw of set.raw) {
      const { object } = raw;
      unread.push({ file, line: raw.document.line, apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}), reason: where });
    }
    // Not-modelled Istio kinds are errors of read files; here they are as unseen as the rest.
    for (const document of set.unmodelled) unread.push({ file, ...document, reason: where });
    for (const document of set.unread) unread.push({ ...document, reason: where });
  }
  return unread;
}

/** A notice for each include glob the user wrote that selects no file: a typo must not read as "no mesh changes". */
function unmatchedIncludes(snapshot: Snapshot, config: Pick<Config, "manifests">): Diagnostic[] {
  const defaults = new Set(defaultConfig().manifests.include);
  const paths = [...snapshot.files.keys()];
  return config.manifests.include
    .filter((glob) => !defaults.has(glob))
    .filter((glob) => {
      const matches = picomatch(glob, { dot: true });
      return !paths.some((path) => matches(path));
    })
    .map((glob) => ({ file: CONFIG_PATH, line: 1, severity: "warning" as const, message: `manifests.include \`${glob}\` matches no file: nothing is read through it` }));
}
