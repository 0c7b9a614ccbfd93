import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from "yaml";
import type { Diagnostic, JsonValue } from "../types.js";

/** A path into a document: keys and indexes, as ajv's instancePath segments or JSON pointers give them. */
export type NodePath = readonly (string | number)[];

/** One YAML document with its plain value and a way back from any path to its line. */
export interface YamlDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** Line (1-based) where the document's content starts. */
  line: number;
  value: JsonValue | undefined;
  /** The line of the deepest node that exists along `path` (the document's line if none does). */
  lineOf(path: NodePath): number;
}

export interface YamlFile {
  documents: YamlDocument[];
  diagnostics: Diagnostic[];
}

// C0 controls other than tab, LF and CR, DEL, and U+FFFD (what a decoder leaves for invalid
// UTF-8). The yaml package accepts most of these without complaint, so binary input would
// otherwise be read as a strange scalar and ignored silently.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/**
 * Parses a possibly multi-document YAML file. Never throws: syntax errors become diagnostics
 * (the yaml package reports them in `doc.errors` rather than throwing), and documents with
 * errors are left out so the rest of the file still counts.
 */
export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const bad = NOT_TEXT.exec(text);
  if (bad) {
    let line = 1;
    for (let i = 0; i < bad.index; i++) if (text.charCodeAt(i) === 10) line++;
    return {
      documents: [],
      diagnostics: [{ file, line, severity: "error", message: `not a text file: byte 0x${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(2, "0")} is not valid in YAML (binary or not UTF-8); exclude it with manifests.exclude if it is not a manifest` }],
    };
  }

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true }) as Document.Parsed[];
  } catch (error) {
    // The parser reports problems in doc.errors; this is only for its own failures.
    return { documents: [], diagnostics: [{ file, line: 1, severity: "error", message: `YAML could not be parsed: ${String(error)}` }] };
  }
  if (!Array.isArray(docs)) docs = [docs];

  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  docs.forEach((doc, index) => {
    for (const error of doc.errors) {
      diagnostics.push({ file, line: lineAt(error.pos[0]), severity: "error", message: `YAML syntax error: ${firstLine(error.message)}` });
    }
    for (const warning of doc.warnings) {
      diagnostics.push({ file, line: lineAt(warning.pos[0]), severity: "warning", message: `YAML: ${firstLine(warning.message)}` });
    }
    if (doc.errors.length > 0) return;
    let value: JsonValue | undefined;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as JsonValue | undefined;
    } catch (error) {
      // e.g. an alias bomb: the document is refused, the file's other documents still count.
      diagnostics.push({ file, line: lineAt(doc.range[0]), severity: "error", message: `YAML document could not be read: ${firstLine(String(error))}` });
      return;
    }
    const contentsStart = isNode(doc.contents) ? doc.contents.range[0] : doc.range[0];
    const docLine = lineAt(contentsStart);
    documents.push({
      file,
      index,
      line: docLine,
      value,
      lineOf(path) {
        let node: unknown = doc.contents;
        let line = docLine;
        for (const key of path) {
          if (isMap(node)) {
            // Anchor at the key, not the value: a nested map's value starts on the next line.
            const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
            if (!pair) break;
            if (isNode(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
            node = pair.value;
          } else if (isSeq(node) && typeof key === "number") {
            const item: unknown = node.items[key];
            if (!isNode(item)) break;
            if (item.range) line = lineAt(item.range[0]);
            node = item;
          } else {
            break;
          }
        }
        return line;
      },
    });
  });
  return { documents, diagnostics };
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}
