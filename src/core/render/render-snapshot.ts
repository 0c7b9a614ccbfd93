import { CONFIG_PATH, defaultConfig, type Config } from "../config/config.js";
import { manifestFiles, manifestScope, readManifestFile } from "../manifests/read-manifests.js";
import picomatch from "picomatch";
import type { Diagnostic, RenderResult, Snapshot, UnreadDocument } from "../types.js";
import { combineFileRenders, renderManifestFile } from "./render.js";
import { RenderMemo, settingsKey } from "./render-memo.js";

/**
 * Snapshot → rendered mesh: each manifest file read and rendered on its own, through `memo`
 * (pass the same one for both sides of a change, and across changes, so that a file already
 * rendered is not rendered again), then combined.
 *
 * A snapshot may hold, beside the files the config selects, the other files kubectl would apply
 * (`isScopeCandidate`): those are not rendered, but their mesh documents are listed in
 * `unread` (SCOPE-001), so that excluding a path never hides a mesh change silently.
 */
export function renderSnapshot(snapshot: Snapshot, config: Pick<Config, "manifests" | "defaultNamespace" | "mesh">, memo: RenderMemo = new RenderMemo()): RenderResult {
  const settings = settingsKey(config);
  const files = manifestFiles(snapshot, config).map((file) => {
    const text = snapshot.files.get(file) ?? "";
    return memo.renderOf({ settings, file, text, render: () => renderManifestFile({ file, text, config }) });
  });
  const result = combineFileRenders(files);
  const unread = [...(result.unread ?? []), ...outOfScope(snapshot, config)];
  const diagnostics = [...result.diagnostics, ...unmatchedIncludes(snapshot, config)];
  return { resources: result.resources, diagnostics, ...(unread.length > 0 ? { unread } : {}) };
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
