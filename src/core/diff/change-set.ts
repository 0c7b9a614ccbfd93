import type { DefinitionRef, JsonValue, Resource } from "../types.js";

/**
 * One changed field of a modified resource.
 *
 * `path` is readable and stable across reorders: RFC 6901 segments (`~0` for `~`, `~1` for
 * `/`), where an item of a list is addressed by its key when the list has one, as
 * `[field=value]` (`/spec/subsets/[name=canary]/labels/version`,
 * `/spec/http/[name=default]/route/[destination.subset=canary]/weight`), and by its index
 * otherwise (`/spec/rules/0/from/0/source/principals`). `[order]` after an order-sensitive list
 * (VirtualService `http`, `tcp`, `tls`; container `command`, `args`) carries the order of its
 * items' keys when only that changed. The whole object is the empty path.
 *
 * `pointer` is the plain RFC 6901 pointer with indices, into the head object (into the base
 * object for a field the head no longer has), as in `Resource.sources[].paths`.
 *
 * `null` stands for "absent" on the side that has no such field.
 */
export interface FieldChange {
  path: string;
  pointer: string;
  before: JsonValue | null;
  after: JsonValue | null;
}

export type NoteKind =
  | "mtls"
  | "destination-tls"
  | "traffic-weight"
  | "retries"
  | "timeout"
  | "fault-injection"
  | "route-order"
  | "public-host"
  | "gateway"
  | "authorization"
  | "jwt"
  | "egress"
  | "service-exposure"
  | "protocol-sniffing"
  | "ingress"
  | "route-match";

/** How much a reviewer should care, on the rule catalog's scale plus `info`. */
export type NoteSeverity = "high" | "medium" | "low" | "info";

/** What the change does to the mesh's security posture. */
export type NoteEffect = "weakens" | "strengthens" | "neutral";

/** A change in behaviour, in an operator's words, anchored at the manifest line that caused it. */
export interface BehaviourNote {
  kind: NoteKind;
  severity: NoteSeverity;
  effect: NoteEffect;
  /** The whole sentence, naming the resource and its source (`file:line`). */
  message: string;
  resource: { kind: string; namespace: string; name: string };
  /** The trait (or raw document) that wrote the field the note is about. */
  source: { file: string; line: number; trait?: string; definition?: DefinitionRef };
  /** The environment of the resource, when its Application deploys to several. */
  environment?: string;
}

export type ChangeType = "added" | "removed" | "modified";

export interface ResourceChange {
  change: ChangeType;
  /** `group/kind/namespace/name`, as `identityOf`. */
  identity: string;
  kind: string;
  namespace: string;
  name: string;
  before?: Resource;
  after?: Resource;
  /** For an added or removed resource, one change at the empty path holding the whole object. */
  fields: FieldChange[];
  notes: BehaviourNote[];
  /** Unified diff of the resource's YAML (file headers `a/…` and `b/…`), for display. */
  patch: string;
}

/** What a pull request changes in the rendered mesh, sorted by kind, namespace, name. */
export interface ChangeSet {
  changes: ResourceChange[];
}
