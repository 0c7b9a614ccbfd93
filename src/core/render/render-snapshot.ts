import type { Config } from "../config/config.js";
import { manifestFiles } from "../manifests/read-manifests.js";
import type { RenderResult, Snapshot } from "../types.js";
import { combineFileRenders, renderManifestFile } from "./render.js";
import { RenderMemo, settingsKey } from "./render-memo.js";

/**
 * Snapshot → rendered mesh: each manifest file read and rendered on its own, through `memo`
 * (pass the same one for both sides of a change, and across changes, so that a file already
 * rendered is not rendered again), then combined.
 */
export function renderSnapshot(snapshot: Snapshot, config: Pick<Config, "manifests" | "defaultNamespace" | "mesh">, memo: RenderMemo = new RenderMemo()): RenderResult {
  const settings = settingsKey(config);
  const files = manifestFiles(snapshot, config).map((file) => {
    const text = snapshot.files.get(file) ?? "";
    return memo.renderOf({ settings, file, text, render: () => renderManifestFile({ file, text, config }) });
  });
  return combineFileRenders(files);
}
