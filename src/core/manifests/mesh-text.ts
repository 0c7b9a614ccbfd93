import { isMeshGroup, kindInfo, splitApiVersion } from "../kinds.js";

/** A document that text which could not be parsed appears to hold, and where. */
export interface MeshTextDocument {
  line: number;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

// `apiVersion: x`, `"apiVersion": "x"`, `'kind': x`: the YAML and JSON spellings of the keys
// that say what a document is. A text that does not parse has no tree, so its keys are found
// by their form: a loose match errs toward reporting, which is the safe side for a gate.
const KEY = /(?:^|[\s{,[-])["']?(apiVersion|kind|name|namespace)["']?\s*:\s*["']?([A-Za-z0-9][A-Za-z0-9._/-]*)/dgm;

/**
 * The mesh-affecting documents (kinds of the registry, any kind of an Istio or Gateway API
 * group, OAM Applications) that a text appears to hold, found without parsing it. For text the
 * parser refused: what kubectl or a controller might still apply must not vanish from the gate.
 * NUL bytes are dropped first, so UTF-16 text still shows its keys.
 */
export function meshDocumentsInText(params: { text: string; line: number }): MeshTextDocument[] {
  const text = params.text.replaceAll("\u0000", "");
  const found: MeshTextDocument[] = [];
  let pending: { apiVersion?: string; kind?: string; name?: string; namespace?: string; line: number } = { line: params.line };
  let line = params.line;
  let offset = 0;
  const flush = (): void => {
    const { apiVersion, kind, name, namespace } = pending;
    if (apiVersion !== undefined && kind !== undefined && isMeshAffecting(apiVersion, kind, name)) {
      found.push({ line: pending.line, apiVersion, kind, ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}) });
    }
  };
  for (const match of text.matchAll(KEY)) {
    // Lines are counted to the key itself, not to the separator before it (a newline).
    const at = match.indices?.[1]?.[0] ?? match.index;
    for (; offset < at; offset++) if (text.charCodeAt(offset) === 10) line++;
    const key = match[1] ?? "";
    const value = match[2] ?? "";
    if (key === "name" || key === "namespace") {
      if (pending[key] === undefined && (pending.apiVersion !== undefined || pending.kind !== undefined)) pending[key] = value;
      continue;
    }
    const slot = key === "apiVersion" ? "apiVersion" : "kind";
    // A second apiVersion or kind starts the next document (a List's next item, the next `---`).
    if (pending[slot] !== undefined) {
      flush();
      pending = { line };
    }
    if (pending.apiVersion === undefined && pending.kind === undefined) pending.line = line;
    pending[slot] = value;
  }
  flush();
  return found;
}

/** Whether a document of this apiVersion and kind can change the mesh (or renders to what does). */
export function isMeshAffecting(apiVersion: string, kind: string, name?: string): boolean {
  const [group] = splitApiVersion(apiVersion);
  const info = kindInfo({ apiVersion, kind });
  if (info) return info.readsOnly === undefined || (name !== undefined && info.readsOnly.matches(name));
  return isMeshGroup(group) || group === "core.oam.dev";
}

/**
 * The line (1-based) of the first template expression (`{{ … }}`, as Helm, Go templates and
 * most renderers write them) in a text, if it has one: such a file is filled in by a renderer
 * before anything is applied.
 */
export function templateExpressionLine(text: string): number | undefined {
  const match = /\{\{[^]*?\}\}/.exec(text);
  if (!match) return undefined;
  let line = 1;
  for (let i = 0; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
