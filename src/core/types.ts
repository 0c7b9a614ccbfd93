// The shared vocabulary of the pipeline. Everything here is plain data: no classes,
// no I/O, so any stage can be tested with literals.

/** One revision of a repository: the files that matter, by path (POSIX, relative). */
export interface Snapshot {
  readonly files: ReadonlyMap<string, string>;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export type DiagnosticSeverity = "error" | "warning" | "notice";

/** A user-facing problem with the input, always anchored at a file and a line (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  severity: DiagnosticSeverity;
  message: string;
}

/** Where a rendered resource (or one field of it) came from. */
export interface SourceRef {
  file: string;
  line: number;
  app?: string;
  component?: string;
  trait?: string;
  /** The repository definition (TraitDefinition, ComponentDefinition) that rendered it. */
  definition?: DefinitionRef;
}

/** One trait (or document) that wrote part of a resource, with the JSON pointers it wrote. */
export interface Contribution {
  file: string;
  line: number;
  trait: string;
  paths: string[];
  /** The repository TraitDefinition the trait was rendered by. */
  definition?: DefinitionRef;
}

/** A repository TraitDefinition or ComponentDefinition, by name and document line. */
export interface DefinitionRef {
  name: string;
  file: string;
  line: number;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: JsonValue | undefined;
}

/** A Kubernetes object as it would be applied. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: JsonObject;
  [key: string]: JsonValue | ObjectMeta | undefined;
}

/** A step of a KubeVela workflow that applies its own version of a resource (canary-rollout). */
export interface WorkflowStepRef {
  name: string;
  /** The `suspend` steps before it: manual gates someone must resume first. */
  gates: string[];
}

/** A rendered object plus its provenance. `source` is the document or the first contributor. */
export interface Resource {
  object: KubeObject;
  source: SourceRef;
  /** Present when several traits shaped the resource (VirtualService C, DestinationRule C). */
  sources?: Contribution[];
  /** The environment (a KubeVela `deploy` step) it is applied in; absent: the one render of its Application. */
  environment?: string;
  /** The workflow step that applies this version of it; absent: applied by the component itself. */
  step?: WorkflowStepRef;
}

/**
 * A document of a mesh-affecting kind (or an OAM Application) that the cluster would apply and
 * the gate does not render: in a path the config leaves out, or in text that is not valid YAML
 * or JSON. SCOPE-001 judges these, so the gate never goes blind silently.
 */
export interface UnreadDocument {
  file: string;
  line: number;
  apiVersion: string;
  kind: string;
  /** `metadata.name` where it could be told. */
  name?: string;
  namespace?: string;
  /** `excluded`: matched by `manifests.exclude`; `not-included`: outside `manifests.include`; `unparsable`: not valid YAML/JSON. */
  reason: "excluded" | "not-included" | "unparsable";
}

/** The outcome of rendering one revision. */
export interface RenderResult {
  /** Sorted by kind, namespace, name: the order is part of the output's determinism. */
  resources: Resource[];
  diagnostics: Diagnostic[];
  /** Mesh documents the render could not see, by file and line (absent: none). */
  unread?: UnreadDocument[];
  /** Traits of a type that neither a repository definition nor meshgate renders (SCOPE-002). */
  unevaluated?: UnevaluatedTrait[];
}

/** A trait whose type has no definition in the repository and no renderer in meshgate. */
export interface UnevaluatedTrait {
  type: string;
  file: string;
  line: number;
  app: string;
  /** The Application's namespace. */
  namespace: string;
  component: string;
}
