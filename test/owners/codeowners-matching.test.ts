import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codeownersIndex, type OwnersOf } from "../../src/core/owners/codeowners-index.js";
import { compilePattern, matchesSegments } from "../../src/core/owners/codeowners-pattern.js";
import { parseCodeowners } from "../../src/core/owners/parse-codeowners.js";

interface ConformanceCase {
  name: string;
  pattern: string;
  paths: Record<string, boolean>;
}

// GitHub's behaviour pattern by pattern (the table DESIGN §6 refers to), kept as a fixture of
// our own so the tests never depend on files outside the repository.
const cases = JSON.parse(readFileSync(new URL("fixtures/codeowners-cases.json", import.meta.url), "utf8")) as ConformanceCase[];

function ownersOf(codeowners: string, path: string): OwnersOf {
  return codeownersIndex(parseCodeowners(".github/CODEOWNERS", codeowners)).ownersOf(path);
}

function owned(pattern: string, path: string): boolean {
  return ownersOf(`${pattern} @owner\n`, path).status === "owned";
}

describe("CODEOWNERS matching: GitHub's conformance table", () => {
  const rows = cases.flatMap((c) => Object.entries(c.paths).map(([path, expected]) => ({ name: c.name, pattern: c.pattern, path, expected })));

  it("holds every case of the table", () => {
    expect(rows.length).toBeGreaterThan(140);
  });

  it.each(rows)("$name: $pattern vs $path → $expected", ({ pattern, path, expected }) => {
    expect(owned(pattern, path)).toBe(expected);
  });
});

describe("CODEOWNERS matching: the rules of DESIGN §6", () => {
  it.each([
    ["docs/*", "docs/a.md", true],
    ["docs/*", "docs/x/a.md", false],
    ["/*", "README.md", true],
    ["/*", "apps/README.md", false],
    ["apps/", "apps/shop/app.yaml", true],
    ["apps/", "platform/apps/shop/app.yaml", true],
    ["apps/", "apps", false],
    ["app.yaml", "deep/down/app.yaml", true],
    ["apps/shop", "apps/shop/app.yaml", true],
    ["apps/shop", "platform/apps/shop/app.yaml", false],
    ["apps/**/app.yaml", "apps/a/b/c/app.yaml", true],
    ["apps/**/app.yaml", "apps/app.yaml", true],
    ["**/app.yaml", "app.yaml", true],
    ["**", "anything/at/all", true],
    ["/**", "top", true],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a?c", "a/c", false],
    ["a?c", "a€c", true],
    ["a?c", "a😀c", true],
    ["*.yaml", "apps/shop/app.yaml", true],
    ["*.yaml", "apps/shop/app.yml", false],
    ["*.YAML", "app.yaml", false],
    ["Apps/", "apps/x", false],
    ["*.test.ts", "src/a.test.ts", true],
    ["*.test.ts", "src/a.ts", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "acb", false],
    ["a*b*c", "abc", true],
    ["a?*?c", "abc", false],
    ["a?*?c", "abxc", true],
  ] as const)("%s vs %s → %s", (pattern, path, expected) => {
    expect(owned(pattern, path)).toBe(expected);
  });

  it("reads escapes: `\\ ` keeps a space in the pattern, `\\*` and `\\?` are literal", () => {
    expect(owned("my\\ file.txt", "docs/my file.txt")).toBe(true);
    expect(owned("my\\ file.txt", "docs/my")).toBe(false);
    expect(owned("f\\*o", "f*o")).toBe(true);
    expect(owned("f\\*o", "fxo")).toBe(false);
    expect(owned("f\\?o", "f?o")).toBe(true);
    expect(owned("back\\\\slash", "back\\slash")).toBe(true);
  });

  it("lets the last matching line win, and a line without owners un-own the path", () => {
    const codeowners = "* @everyone\n/apps/ @apps-team\n/apps/shop/ @shop\n/apps/shop/generated/\n*.md @docs\n";
    expect(ownersOf(codeowners, "apps/shop/app.yaml")).toEqual({
      path: "apps/shop/app.yaml",
      status: "owned",
      owners: ["@shop"],
      rule: { file: ".github/CODEOWNERS", line: 3, pattern: "/apps/shop/" },
    });
    expect(ownersOf(codeowners, "apps/billing/app.yaml")).toMatchObject({ status: "owned", owners: ["@apps-team"] });
    expect(ownersOf(codeowners, "apps/shop/generated/out.yaml")).toEqual({
      path: "apps/shop/generated/out.yaml",
      status: "unowned",
      rule: { file: ".github/CODEOWNERS", line: 4, pattern: "/apps/shop/generated/" },
    });
    expect(ownersOf(codeowners, "apps/shop/generated/README.md")).toMatchObject({ status: "owned", owners: ["@docs"] });
    expect(ownersOf(codeowners, "Makefile")).toMatchObject({ status: "owned", owners: ["@everyone"] });
  });

  it("does not let an earlier, more specific line beat a later, broader one", () => {
    expect(ownersOf("/apps/shop/ @shop\n/apps/ @apps-team\n", "apps/shop/app.yaml")).toMatchObject({ owners: ["@apps-team"] });
  });

  it("says unowned when no line matches, and keeps several owners in their order", () => {
    expect(ownersOf("/apps/ @a\n", "lib/x.ts")).toEqual({ path: "lib/x.ts", status: "unowned" });
    expect(ownersOf("/apps/ @b @a  x@example.com\n", "apps/x")).toMatchObject({ owners: ["@b", "@a", "x@example.com"] });
  });

  it("matches the same way whatever order the paths are asked in (the directory memo is per directory)", () => {
    const codeowners = "/a/ @a\n/a/b/*.ts @ts\n**/c/ @c\n/a/b/c/d @d\n";
    const paths = ["a/b/c/d/e.ts", "a/b/x.ts", "a/b/c/x.ts", "a/x", "a/b/c/d", "b/c/x", "c"];
    const forwards = codeownersIndex(parseCodeowners("CODEOWNERS", codeowners));
    const backwards = codeownersIndex(parseCodeowners("CODEOWNERS", codeowners));
    const expected = paths.map((p) => forwards.ownersOf(p));
    expect([...paths].reverse().map((p) => backwards.ownersOf(p)).reverse()).toEqual(expected);
    expect(expected.map((o) => (o.status === "owned" ? o.owners[0] : o.status))).toEqual(["@d", "@ts", "@c", "@a", "@d", "@c", "unowned"]);
  });
});

describe("CODEOWNERS index agrees with a plain scan of every line", () => {
  // The index only narrows the candidates; a scan from the last line up is the definition.
  function scanOwners(codeowners: string, path: string): number | undefined {
    const parsed = parseCodeowners("CODEOWNERS", codeowners);
    if (parsed.status !== "parsed") throw new Error("fixture must parse");
    const segments = path.split("/");
    for (let i = parsed.rules.length - 1; i >= 0; i--) {
      const { compiled, line } = parsed.rules[i] ?? { compiled: undefined, line: 0 };
      if (compiled === undefined) continue;
      const self = compiled.reach !== "ancestor" && matchesSegments(compiled.tokens, segments, segments.length);
      let ancestor = false;
      for (let depth = 0; compiled.reach !== "self" && depth < segments.length && !ancestor; depth++) {
        ancestor = matchesSegments(compiled.tokens, segments, depth);
      }
      if (self || ancestor) return line;
    }
    return undefined;
  }

  it("on random patterns and paths", () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const names = ["a", "b", "c", "ab", "a.ts", "b.md", "x.test.ts"];
    const pieces = ["a", "b", "c", "*", "**", "a*", "*.ts", "*.md", "?", "a?", "*b*", "x.*"];
    const patterns = Array.from({ length: 60 }, () => {
      const segments = Array.from({ length: 1 + random(3) }, () => pieces[random(pieces.length)] ?? "a");
      const joined = segments.join("/").replace(/\*\*\*+/g, "**");
      return `${random(3) === 0 ? "/" : ""}${joined}${random(4) === 0 ? "/" : ""}`;
    }).filter((pattern) => compilePattern(pattern).ok);
    const codeowners = patterns.map((pattern, i) => `${pattern} @o${i}`).join("\n");
    const index = codeownersIndex(parseCodeowners("CODEOWNERS", codeowners));
    for (let i = 0; i < 3000; i++) {
      const path = Array.from({ length: 1 + random(4) }, () => names[random(names.length)] ?? "a").join("/");
      const result = index.ownersOf(path);
      const line = result.status === "owned" ? result.rule.line : undefined;
      expect({ path, line }).toEqual({ path, line: scanOwners(codeowners, path) });
    }
  });
});

describe("compilePattern", () => {
  it.each([
    ["!foo", "negation"],
    ["[ab].txt", "character ranges"],
    ["a]b", "character ranges"],
    ["\\#foo", "`\\#` escape"],
    ["foo\\", "lone backslash"],
    ["a/***/b", "three or more consecutive asterisks"],
    ["/", "names no path"],
    ["a//b", "empty segment"],
    ["a\\/b", "escaped slash"],
  ])("rejects %s (%s)", (pattern, reason) => {
    const compiled = compilePattern(pattern);
    expect(compiled.ok).toBe(false);
    expect(compiled.ok ? "" : compiled.reason).toContain(reason);
  });

  it("survives hostile patterns without backtracking blow-ups", () => {
    const pattern = `${"a*".repeat(2000)}b`;
    const path = "a".repeat(5000);
    const started = performance.now();
    expect(owned(pattern, path)).toBe(false);
    expect(owned(`${"**/".repeat(200)}x`, `${"d/".repeat(400)}y`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
