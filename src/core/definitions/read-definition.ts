import type { YamlDocument } from "../manifests/yaml-file.js";
import type { Diagnostic, JsonObject } from "../types.js";
import { isJsonObject } from "./cue-program.js";

/** A KubeVela TraitDefinition or ComponentDefinition of the repository, with a CUE template. */
export interface DefinitionManifest {
  kind: "trait" | "component";
  /** The type name Applications use: its metadata.name. */
  name: string;
  template: string;
  file: string;
  /** The document's line. */
  line: number;
  /** The line of the template's first line in the file: template lines are counted from it. */
  templateLine: number;
}

export const DEFINITION_KINDS = { TraitDefinition: "trait", ComponentDefinition: "component" } as const;

export function isDefinitionKind(kind: string): kind is keyof typeof DEFINITION_KINDS {
  return kind in DEFINITION_KINDS;
}

const TEMPLATE_PATH = ["spec", "schematic", "cue", "template"];

/**
 * The definition a document declares, or a diagnostic saying why it cannot be used: a
 * definition meshgate cannot read must not leave its type to the native renderer silently.
 */
export function readDefinition(document: YamlDocument, value: JsonObject, kind: keyof typeof DEFINITION_KINDS): { definition?: DefinitionManifest; diagnostics: Diagnostic[] } {
  const at = (path: string[]): number => document.lineOf(path);
  const fail = (message: string, path: string[]): { diagnostics: Diagnostic[] } => ({ diagnostics: [{ file: document.file, line: at(path), severity: "error", message }] });
  const metadata = value.metadata;
  const name = isJsonObject(metadata) ? metadata.name : undefined;
  if (typeof name !== "string" || name === "") return fail(`${kind} has no metadata.name: KubeVela rejects it`, ["metadata"]);
  let node = value as JsonObject | undefined;
  for (const key of TEMPLATE_PATH.slice(0, -1)) {
    const child: unknown = node?.[key];
    node = isJsonObject(child as JsonObject) ? (child as JsonObject) : undefined;
  }
  const template = node?.template;
  if (typeof template !== "string") {
    const schematic = isJsonObject(value.spec) ? value.spec.schematic : undefined;
    const other = isJsonObject(schematic) ? Object.keys(schematic).filter((k) => k !== "cue") : [];
    const what = other.length > 0 ? `its schematic is ${other.join(", ")}, which meshgate does not evaluate` : "it has no spec.schematic.cue.template";
    return fail(`${kind} ${name}: ${what}: the types it defines cannot be judged and fail closed`, ["spec"]);
  }
  return {
    definition: { kind: DEFINITION_KINDS[kind], name, template, file: document.file, line: document.line, templateLine: at(TEMPLATE_PATH) + 1 },
    diagnostics: [],
  };
}
