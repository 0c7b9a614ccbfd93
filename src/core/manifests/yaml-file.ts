import { isCollection, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from "yaml";
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

/** The text of a document the parser refused, so that what it would have applied can still be told. */
export interface RejectedText {
  /** Line (1-based) where the refused text starts. */
  line: number;
  text: string;
  /**
   * The diagnostics that refused it when it is not YAML a Kubernetes object can be read from
   * (syntax errors, a collection used as a key); absent when it was refused for what it holds
   * (binary, alias bomb, too deep). A template file's renderer, not YAML, reads the former.
   */
  syntaxErrors?: Diagnostic[];
}

export interface YamlFile {
  documents: YamlDocument[];
  diagnostics: Diagnostic[];
  /** Documents (or the whole file) that could not be read: syntax errors, binary, too deep. */
  rejected: RejectedText[];
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
      rejected: [{ line: 1, text }],
      diagnostics: [{ file, line, severity: "error", message: `not a text file: byte 0x${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(2, "0")} is not valid in YAML (binary or not UTF-8); exclude it with manifests.exclude if it is not a manifest` }],
    };
  }

  let docs: Document.Parsed[];
  try {
    // `merge`: kubectl's YAML reader expands `<<` merge keys, so the object applied is the merged one.
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, merge: true }) as Document.Parsed[];
  } catch (error) {
    // The parser reports problems in doc.errors; this is only for its own failures.
    return { documents: [], rejected: [{ line: 1, text }], diagnostics: [{ file, line: 1, severity: "error", message: `YAML could not be parsed: ${String(error)}` }] };
  }
  if (!Array.isArray(docs)) docs = [docs];

  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const rejected: RejectedText[] = [];
  // A document the parser gave up on can end its range at the first error: its text runs to
  // the next document, so that nothing after the error is lost to the search for mesh kinds.
  const reject = (doc: Document.Parsed, index: number, syntaxErrors?: Diagnostic[]): void => {
    const end = Math.max(doc.range[2], docs[index + 1]?.range[0] ?? text.length);
    rejected.push({ line: lineAt(doc.range[0]), text: text.slice(doc.range[0], end), ...(syntaxErrors ? { syntaxErrors } : {}) });
  };
  docs.forEach((doc, index) => {
    const syntaxErrors: Diagnostic[] = doc.errors.map((error) => ({ file, line: lineAt(error.pos[0]), severity: "error", message: `YAML syntax error: ${firstLine(error.message)}` }));
    diagnostics.push(...syntaxErrors);
    for (const warning of doc.warnings) {
      diagnostics.push({ file, line: lineAt(warning.pos[0]), severity: "warning", message: `YAML: ${firstLine(warning.message)}` });
    }
    if (syntaxErrors.length > 0) {
      reject(doc, index, syntaxErrors);
      return;
    }
    // `{{ .Values.port }}` unquoted is valid YAML: a mapping keyed by a mapping. No Kubernetes
    // object has such a key (kubectl's YAML-to-JSON step refuses it), and reading it on would
    // stringify the key, so it is refused here with the syntax errors.
    const collectionKey = collectionKeyOffset(doc);
    if (collectionKey !== undefined) {
      const error: Diagnostic = { file, line: lineAt(collectionKey), severity: "error", message: "YAML mapping or sequence used as a key: Kubernetes objects have string keys (an unquoted {{ … }} reads so)" };
      diagnostics.push(error);
      reject(doc, index, [error]);
      return;
    }
    let value: JsonValue | undefined;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as JsonValue | undefined;
    } catch (error) {
      // e.g. an alias bomb: the document is refused, the file's other documents still count.
      diagnostics.push({ file, line: lineAt(doc.range[0]), severity: "error", message: `YAML document could not be read: ${firstLine(String(error))}` });
      reject(doc, index);
      return;
    }
    const shape = shapeProblem(value);
    if (shape) {
      diagnostics.push({ file, line: lineAt(doc.range[0]), severity: "error", message: `YAML document could not be read: ${shape}` });
      reject(doc, index);
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
  return { documents, diagnostics, rejected };
}

/**
 * Where the first key that is itself a mapping or sequence starts, if the document has one.
 * An explicit stack (not yaml's recursive `visit`): a deep document cannot overflow it.
 */
function collectionKeyOffset(doc: Document.Parsed): number | undefined {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isCollection(pair.key)) return pair.key.range?.[0] ?? doc.range[0];
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

/** Deeper than any Kubernetes object; past it, later stages would recurse without bound. */
export const MAX_DEPTH = 100;

/**
 * Why a parsed value cannot be an object the cluster applies: nesting past MAX_DEPTH, or an
 * alias that contains itself (the yaml package resolves `&a [*a]` to a cyclic value). Walks
 * with an explicit stack, so that the check itself cannot overflow.
 */
function shapeProblem(value: JsonValue | undefined): string | undefined {
  const open = new Set<object>();
  const stack: { node: object; depth: number; exit: boolean }[] = [];
  if (value !== null && typeof value === "object") stack.push({ node: value, depth: 1, exit: false });
  while (stack.length > 0) {
    const { node, depth, exit } = stack.pop() as (typeof stack)[number];
    if (exit) {
      open.delete(node);
      continue;
    }
    if (open.has(node)) return "an alias refers to a node that contains it (a recursive structure Kubernetes cannot apply)";
    if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep, deeper than any Kubernetes object`;
    open.add(node);
    stack.push({ node, depth, exit: true });
    for (const child of Object.values(node) as unknown[]) {
      if (child !== null && typeof child === "object") stack.push({ node: child, depth: depth + 1, exit: false });
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}
