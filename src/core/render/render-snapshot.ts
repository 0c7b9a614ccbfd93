import type { Config } from "../config/config.js";
import { readManifests } from "../manifests/read-manifests.js";
import type { RenderResult, Snapshot } from "../types.js";
import { renderManifests } from "./render.js";

/** Snapshot → rendered mesh: discover and parse the manifests, then render them. */
export function renderSnapshot(snapshot: Snapshot, config: Pick<Config, "manifests" | "defaultNamespace" | "mesh">): RenderResult {
  return renderManifests(readManifests(snapshot, config), config);
}
