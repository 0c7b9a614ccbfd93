import { buildMeshIndex, type MeshIndex } from "../../rules/mesh-index.js";
import type { Resource } from "../../types.js";
import type { NoteMesh } from "./note-draft.js";

const indexes = new WeakMap<readonly Resource[], { mesh: NoteMesh; index: MeshIndex }>();

/** The mesh index of a render, built once per render and mesh: every changed policy of a diff looks up the same one. */
export function meshIndexOf(resources: readonly Resource[], mesh: NoteMesh): MeshIndex {
  const cached = indexes.get(resources);
  if (cached?.mesh === mesh) return cached.index;
  const index = buildMeshIndex({ resources: [...resources] }, { mesh });
  indexes.set(resources, { mesh, index });
  return index;
}
