import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { COMPONENTS } from "../../src/core/render/components/index.js";
import { MESH_TRAITS } from "../../src/core/render/traits/index.js";
import { appWithComponents, appWithTraits } from "../support/render.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The types the shipped definitions define: meshgate's own mesh traits and the component types it renders. */
export const SHIPPED_TRAIT_TYPES: readonly string[] = MESH_TRAITS.map((t) => t.type);
export const SHIPPED_COMPONENT_TYPES: readonly string[] = [...COMPONENTS.keys()];

/** Every file below a directory, recursively, as paths relative to the repository. */
function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The shipped definitions, by path, as a repository would hold them. */
export function shippedDefinitions(): Record<string, string> {
  return Object.fromEntries(walk("definitions").filter((p) => p.endsWith(".yaml")).map((p) => [p, readFileSync(join(ROOT, p), "utf8")]));
}

export interface TraitFixture {
  /** Where the fixture was written. */
  from: string;
  /** A whole manifest file: one or more Applications, and whatever raw documents are beside them. */
  yaml: string;
}

/** A template literal's text, or a double-quoted string's, without its escapes; undefined when it interpolates. */
function literalText(literal: string): string | undefined {
  if (literal.startsWith('"')) {
    try {
      return JSON.parse(literal) as string;
    } catch {
      return undefined;
    }
  }
  const body = literal.slice(1, -1);
  if (body.includes("${")) return undefined;
  return body.replace(/\\([`$\\])/g, "$1");
}

/** A render test's string as an Application file: trait lists on the render tests' `frontend` webservice. */
function applicationText(text: string): string | undefined {
  if (/^- type: /.test(text)) return appWithTraits(text);
  if (/^- name: [\s\S]*\btype: /.test(text)) {
    return appWithComponents(text);
  }
  if (/^apiVersion: core\.oam\.dev\/v1beta1\nkind: Application\n/.test(text)) return text;
  return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The component and trait types an Application uses: its components', and those an override
 * policy adds. Undefined when the text is no Application.
 */
function typesOf(value: Json): { components: string[]; traits: string[] } | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value.kind !== "Application") return undefined;
  const components: string[] = [];
  const traits: string[] = [];
  const visit = (node: Json, key: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item === "object" && item !== null && !Array.isArray(item) && typeof item.type === "string") {
          if (key === "traits") traits.push(item.type);
          if (key === "components") components.push(item.type);
        }
        visit(item, undefined);
      }
      return;
    }
    if (typeof node === "object" && node !== null) for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(value.spec ?? null, undefined);
  return { components, traits };
}

/**
 * Whether a manifest file is one the shipped definitions can render alone: it holds an
 * Application, every Application uses only the shipped types, and it holds no definition of
 * its own (those fixtures test repository definitions, not meshgate's).
 */
function usesShippedTypesOnly(text: string): boolean {
  let documents: Json[];
  try {
    documents = parseAllDocuments(text).map((d) => {
      if (d.errors.length > 0) throw new Error("invalid YAML");
      return d.toJS() as Json;
    });
  } catch {
    return false;
  }
  let applications = 0;
  for (const document of documents) {
    if (typeof document === "object" && document !== null && !Array.isArray(document) && (document.kind === "TraitDefinition" || document.kind === "ComponentDefinition")) return false;
    const types = typesOf(document);
    if (!types) continue;
    applications++;
    if (!types.components.every((t) => SHIPPED_COMPONENT_TYPES.includes(t)) || !types.traits.every((t) => SHIPPED_TRAIT_TYPES.includes(t))) return false;
  }
  return applications > 0;
}

/**
 * Every trait fixture of the project that uses only the shipped types: the strings of the
 * render tests that are a trait list, a component list or an Application (strings with
 * interpolations left out: the literals they are assembled from are collected on their own),
 * and every YAML file of the tests and examples that holds an Application.
 */
export function traitFixtures(): TraitFixture[] {
  const fixtures: TraitFixture[] = [];
  for (const file of walk("test/render").filter((p) => p.endsWith(".ts"))) {
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const match of source.matchAll(/`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)) {
      const literal = literalText(match[0]);
      const text = literal === undefined ? undefined : applicationText(literal);
      if (text === undefined) continue;
      try {
        parse(text);
      } catch {
        continue;
      }
      fixtures.push({ from: file, yaml: text });
    }
  }
  for (const file of [...walk("test"), ...walk("examples")].filter((p) => /\.ya?ml$/.test(p)).sort()) {
    const text = readFileSync(join(ROOT, file), "utf8");
    if (text.includes("kind: Application")) fixtures.push({ from: file, yaml: text });
  }
  return fixtures.filter((f) => usesShippedTypesOnly(f.yaml));
}
