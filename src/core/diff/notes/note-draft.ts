import type { Config } from "../../config/config.js";
import type { KubeObject, Resource } from "../../types.js";
import type { NoteEffect, NoteKind, NoteSeverity } from "../change-set.js";

/** What a note rule sees: one resource at base and head (absent when added or removed), and both renders. */
export interface NoteInput {
  before?: KubeObject;
  after?: KubeObject;
  base: readonly Resource[];
  head: readonly Resource[];
  /** The mesh the renders run in (config `mesh`): root namespace, trust domain, default-deny. */
  mesh: NoteMesh;
}

export type NoteMesh = Pick<Config["mesh"], "trustDomain" | "clusterDomain" | "rootNamespace" | "defaultDeny">;

/** A note before the resource and its source are named: `pointer` locates the field on `side`. */
export interface NoteDraft {
  kind: NoteKind;
  severity: NoteSeverity;
  effect: NoteEffect;
  text: string;
  side: "base" | "head";
  pointer: string;
}

export type NoteRule = (input: NoteInput) => NoteDraft[];

/** `head` when the field still exists there, else `base`: a note points at what the reviewer can open. */
export function sideOf(input: Pick<NoteInput, "after">, inHead: boolean): "base" | "head" {
  return input.after && inHead ? "head" : "base";
}
