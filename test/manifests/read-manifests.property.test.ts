import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { readManifestFile } from "../../src/core/manifests/read-manifests.js";
import type { Diagnostic } from "../../src/core/types.js";
import { PROPERTY_TIMEOUT_MS } from "../support/property-timeout.js";
import { renderFiles } from "../support/render.js";

/**
 * Whatever a file holds, the reader returns: documents, or diagnostics that name the file and a
 * line of it. It never throws, so one file can never take the rest of a revision down with it.
 */
function expectReadable(file: string, text: string): ReturnType<typeof readManifestFile> {
  const set = readManifestFile({ file, text, defaultNamespace: "default" });
  const lines = text.split("\n").length;
  for (const d of set.diagnostics) expectLocated(d, file, lines);
  const rendered = renderFiles({ [file]: text });
  for (const d of rendered.diagnostics) expectLocated(d, file, lines);
  return set;
}

function expectLocated(d: Diagnostic, file: string, lines: number): void {
  expect(d.file).toBe(file);
  expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1, `line ${d.line} of ${lines}: ${d.message}`).toBe(true);
}

type Tree = null | boolean | number | string | Tree[] | { [key: string]: Tree };

const KEYS = ["apiVersion", "kind", "metadata", "name", "namespace", "spec", "items", "selector", "rules", "hosts", "<<", "a", "b"];
const scalar: fc.Arbitrary<Tree> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.constantFrom("security.istio.io/v1", "AuthorizationPolicy", "List", "v1", "networking.istio.io/v1", "EnvoyFilterList"));
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("tree"), { maxLength: 6 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("tree"), { maxKeys: 6 }),
  ),
}));

/** A flow-style emitter that puts anchors on collections and later refers to them as aliases or `<<` merges. */
function emit(value: Tree, choices: readonly number[]): string {
  let next = 0;
  const choose = (n: number): number => (choices.length === 0 ? 0 : (choices[next++ % choices.length] ?? 0) % n);
  const anchors: string[] = [];
  const go = (node: Tree): string => {
    if (node === null || typeof node !== "object") return JSON.stringify(node);
    if (anchors.length > 0 && choose(5) === 0) return `*${anchors[choose(anchors.length)] ?? ""}`;
    if (choose(3) === 0) {
      const name = `a${anchors.length}`;
      // Registered only after its own content: an alias inside would be a recursive one.
      const body = Array.isArray(node) ? `[${node.map(go).join(", ")}]` : mapping(node);
      anchors.push(name);
      return `&${name} ${body}`;
    }
    return Array.isArray(node) ? `[${node.map(go).join(", ")}]` : mapping(node);
  };
  const mapping = (node: { [key: string]: Tree }): string => {
    const entries = Object.entries(node).map(([k, v]) => `${k === "<<" ? "<<" : JSON.stringify(k)}: ${go(v)}`);
    if (anchors.length > 0 && choose(4) === 0) entries.unshift(`<<: *${anchors[choose(anchors.length)] ?? ""}`);
    return `{${entries.join(", ")}}`;
  };
  return go(value);
}

const RUNS = { numRuns: 150 };

describe("the manifest reader, on any input", () => {
  it("arbitrary bytes, decoded as UTF-8 or Latin-1", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), fc.boolean(), (bytes, utf8) => {
        const text = utf8 ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString("latin1");
        expectReadable("bytes.yaml", text);
        expectReadable("bytes.json", `{"apiVersion": "networking.istio.io/v1", "kind": "EnvoyFilter", ${text}`);
      }),
      RUNS,
    );
  });

  it("arbitrary YAML trees, block and flow, with anchors, aliases and merge keys, in multi-document streams", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 16 }), (documents, choices) => {
        expectReadable("block.yaml", documents.map((d) => stringify(d)).join("---\n"));
        expectReadable("flow.yaml", documents.map((d) => emit(d, choices)).join("\n---\n"));
      }),
      RUNS,
    );
  });

  it("deep and wide trees: past the depth bound an error at a line, never a crash", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.constantFrom("[", "{a: "), fc.integer({ min: 0, max: 3000 }), (depth, open, width) => {
        const close = open === "[" ? "]" : "}";
        const deep = `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deep }\nspec: ${open.repeat(depth)}1${close.repeat(depth)}\n`;
        const set = expectReadable("deep.yaml", deep);
        // Either the policy is read, or the reader said why not, at a line.
        expect(set.raw.length + set.diagnostics.filter((d) => d.severity === "error").length).toBeGreaterThan(0);
        expectReadable("wide.yaml", `apiVersion: v1\nkind: List\nitems:\n${"  - { apiVersion: security.istio.io/v1, kind: AuthorizationPolicy, metadata: { name: p } }\n".repeat(width % 200)}`);
      }),
      { numRuns: 60 },
    );
  });

  it("templates: {{ … }} anywhere in a stream is never a YAML syntax error, and at most one notice", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const fragment = fc.constantFrom("{{ .Values.name }}", "{{- include \"x.labels\" . | nindent 4 }}", "{{- if .Values.on }}", "{{- end }}", "[{{ .Values.host | quote }}]", "\"{{ .Values.image }}\"");
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), fc.boolean(), fragment), { minLength: 1, maxLength: 6 }), (documents, insertions) => {
        const lines = documents.map((d) => stringify(d)).join("---\n").split("\n");
        for (const [at, own, text] of insertions) {
          const i = at % lines.length;
          lines[i] = own ? `${text}\n${lines[i] ?? ""}` : `${lines[i] ?? ""} ${text}`;
        }
        const set = expectReadable("template.yaml", lines.join("\n"));
        expect(set.diagnostics.filter((d) => d.message.startsWith("YAML syntax error") || d.message.startsWith("YAML mapping or sequence used as a key"))).toEqual([]);
        expect(set.diagnostics.filter((d) => d.severity === "notice" && d.message.startsWith("a template")).length).toBeLessThanOrEqual(1);
        // What stays unread was refused for what it holds (a merge of a scalar, an alias bomb), with an error that says so.
        if (set.unread.length > 0) expect(set.diagnostics.some((d) => d.severity === "error")).toBe(true);
      }),
      RUNS,
    );
  });

  it("Istio objects in Lists, behind merge keys: each read, or a diagnostic says why", { timeout: PROPERTY_TIMEOUT_MS }, () => {
    const policy = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), merged: fc.boolean(), listKind: fc.constantFrom("List", "AuthorizationPolicyList", "ConfigList") });
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 8 }), fc.boolean(), (policies, nested) => {
        const items = policies.map((p) =>
          p.merged
            ? `  - <<: { apiVersion: security.istio.io/v1, kind: AuthorizationPolicy }\n    metadata: { name: ${p.name}, namespace: shop }\n`
            : `  - { apiVersion: security.istio.io/v1, kind: AuthorizationPolicy, metadata: { name: ${p.name}, namespace: shop } }\n`,
        );
        const list = `apiVersion: v1\nkind: ${policies[0]?.listKind ?? "List"}\nitems:\n${items.join("")}`;
        const text = nested ? `apiVersion: v1\nkind: List\nitems:\n  - ${list.replace(/\n(?=.)/g, "\n    ")}` : list;
        const set = expectReadable("list.yaml", items.length === 0 ? `${text} []\n` : text);
        const names = set.raw.map((r) => r.object.metadata.name);
        const errors = set.diagnostics.filter((d) => d.severity === "error");
        if (errors.length === 0) expect(names).toEqual(policies.map((p) => p.name));
      }),
      RUNS,
    );
  });
});
