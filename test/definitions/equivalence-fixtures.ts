import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { appWithTraits } from "../support/render.js";

const ROOT = join(import.meta.dirname, "..", "..");

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
  /** The YAML of a trait list (`- type: …`), a component list (`- name: …`) or a whole Application. */
  yaml: string;
  kind: "traits" | "components" | "application";
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

function kindOf(text: string): TraitFixture["kind"] | undefined {
  if (/^- type: /.test(text)) return "traits";
  if (/^- name: [\s\S]*\btype: /.test(text)) return "components";
  if (/^apiVersion: core\.oam\.dev\/v1beta1\nkind: Application\n/.test(text)) return "application";
  return undefined;
}

/**
 * The property sets of the project's render tests: every string in test/render that is a trait
 * list, a component list or an Application and is valid YAML. Strings with interpolations are
 * left out: the literals they are assembled from are collected on their own.
 */
export function renderFixtures(): TraitFixture[] {
  const fixtures: TraitFixture[] = [];
  for (const file of walk("test/render").filter((p) => p.endsWith(".ts"))) {
    const source = readFileSync(join(ROOT, file), "utf8");
    for (const match of source.matchAll(/`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)) {
      const text = literalText(match[0]);
      const kind = text === undefined ? undefined : kindOf(text);
      if (text === undefined || !kind) continue;
      try {
        parse(text);
      } catch {
        continue;
      }
      fixtures.push({ from: file, yaml: text, kind });
    }
  }
  return fixtures;
}

/** The fixture as an Application file: trait lists on the render tests' `frontend` webservice. */
export function applicationOf(fixture: TraitFixture): string {
  if (fixture.kind === "application") return fixture.yaml;
  if (fixture.kind === "traits") return appWithTraits(fixture.yaml);
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shop
  namespace: shop
spec:
  components:
${fixture.yaml.replace(/^/gm, "    ").trimEnd()}
`;
}
