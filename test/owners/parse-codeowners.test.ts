import { describe, expect, it } from "vitest";
import { codeownersIndex } from "../../src/core/owners/codeowners-index.js";
import { findCodeowners } from "../../src/core/owners/find-codeowners.js";
import { CODEOWNERS_MAX_BYTES, parseCodeowners, type Codeowners } from "../../src/core/owners/parse-codeowners.js";

const FILE = ".github/CODEOWNERS";

function rulesOf(codeowners: Codeowners): { line: number; pattern: string; owners: readonly string[] }[] {
  return codeowners.status === "parsed" ? codeowners.rules.map(({ line, pattern, owners }) => ({ line, pattern, owners })) : [];
}

describe("parseCodeowners", () => {
  it("keeps line numbers across comments, blank lines and CRLF endings", () => {
    const parsed = parseCodeowners(FILE, "\uFEFF# Owners\r\n\r\n*       @acme/platform\r\n   # indented comment\n\t/apps/shop/ @maria @acme/shop # inline comment\n/docs/\n");
    expect(parsed.diagnostics).toEqual([]);
    expect(rulesOf(parsed)).toEqual([
      { line: 3, pattern: "*", owners: ["@acme/platform"] },
      { line: 5, pattern: "/apps/shop/", owners: ["@maria", "@acme/shop"] },
      { line: 6, pattern: "/docs/", owners: [] },
    ]);
  });

  it("accepts @user, @org/team and email owners", () => {
    const parsed = parseCodeowners(FILE, "* @octo-cat @acme/platform-team @acme/team_2 @under_score alice@example.com a.b+c@sub.example.org\n");
    expect(parsed.diagnostics).toEqual([]);
    expect(rulesOf(parsed)[0]?.owners).toHaveLength(6);
  });

  it("keeps escaped spaces in the pattern", () => {
    expect(rulesOf(parseCodeowners(FILE, "docs/my\\ guide.md @docs\n"))).toEqual([{ line: 1, pattern: "docs/my\\ guide.md", owners: ["@docs"] }]);
  });

  it.each([
    ["!apps/ @a", "negation (`!`) is not supported"],
    ["apps/[ab]/ @a", "character ranges (`[ ]`) are not supported"],
    ["\\#notes @a", "the `\\#` escape is not supported"],
    ["apps/ maria", "`maria` is not a valid owner"],
    ["apps/ @maria acme/shop @ok @bad!", "`acme/shop`, `@bad!` are not valid owners"],
    ["apps/ @@maria", "`@@maria` is not a valid owner"],
    ["apps/ @acme/shop/extra", "`@acme/shop/extra` is not a valid owner"],
    ["apps/***/x @a", "three or more consecutive asterisks"],
  ])("skips and reports %s, as GitHub does", (line, reason) => {
    const parsed = parseCodeowners(FILE, `* @fallback\n${line}\n`);
    expect(rulesOf(parsed)).toEqual([{ line: 1, pattern: "*", owners: ["@fallback"] }]);
    expect(parsed.diagnostics).toEqual([{ file: FILE, line: 2, severity: "error", message: expect.stringContaining(reason) as string }]);
    expect(parsed.diagnostics[0]?.message).toMatch(/^line skipped, as GitHub skips it: /);
  });

  it("warns when `#` inside a pattern cuts the line short", () => {
    const parsed = parseCodeowners(FILE, "notes#2.md @docs\n");
    expect(rulesOf(parsed)).toEqual([{ line: 1, pattern: "notes", owners: [] }]);
    expect(parsed.diagnostics).toEqual([{ file: FILE, line: 1, severity: "warning", message: expect.stringContaining("`#2.md @docs`") as string }]);
  });

  it("reports binary content line by line instead of crashing", () => {
    const binary = String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
    const parsed = parseCodeowners(FILE, `* @a\n${binary}\n/apps/ @b\n`);
    expect(parsed.status).toBe("parsed");
    expect(rulesOf(parsed).map((r) => r.pattern)).toEqual(expect.arrayContaining(["*", "/apps/"]));
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
    for (const d of parsed.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.message).toMatch(/^line skipped, as GitHub skips it: /);
    }
  });

  it("reports text that is not UTF-8 (U+FFFD left by the decoder)", () => {
    const parsed = parseCodeowners(FILE, "caf\uFFFD/ @a\n");
    expect(parsed.diagnostics).toEqual([{ file: FILE, line: 1, severity: "error", message: expect.stringContaining("not UTF-8") as string }]);
  });

  it("handles a huge line: a long pattern, and thousands of owners", () => {
    const longPattern = `/${"segment/".repeat(50_000)}file.txt`;
    const owners = Array.from({ length: 5000 }, (_, i) => `@user${i}`).join(" ");
    const parsed = parseCodeowners(FILE, `${longPattern} @deep\n* ${owners}\n`);
    expect(parsed.diagnostics).toEqual([]);
    expect(rulesOf(parsed).map((r) => r.owners.length)).toEqual([1, 5000]);
    const index = codeownersIndex(parsed);
    expect(index.ownersOf(`${"segment/".repeat(50_000)}file.txt`)).toMatchObject({ status: "owned", rule: { line: 2 } });
  });

  it("ignores a file of 3 MB or more and fails closed: owners are unknown, never unowned", () => {
    const big = `* @acme/everyone\n${"# padding padding padding padding\n".repeat(Math.ceil(CODEOWNERS_MAX_BYTES / 34))}`;
    const parsed = parseCodeowners(FILE, big);
    expect(parsed.status).toBe("unusable");
    expect(parsed.diagnostics).toEqual([{ file: FILE, line: 1, severity: "error", message: expect.stringContaining("3 MB or larger, and GitHub ignores such a file") as string }]);
    expect(codeownersIndex(parsed).ownersOf("apps/x.yaml")).toMatchObject({ status: "unknown", reason: expect.stringContaining("3 MB") as string });
  });

  it("counts the 3 MB in UTF-8 bytes, not characters", () => {
    const justUnder = "é".repeat(CODEOWNERS_MAX_BYTES / 2 - 1);
    expect(parseCodeowners(FILE, `# ${justUnder}`).status).toBe("unusable");
    expect(parseCodeowners(FILE, `#${justUnder}`).status).toBe("parsed");
    expect(parseCodeowners(FILE, "x".repeat(CODEOWNERS_MAX_BYTES - 1)).status).toBe("parsed");
    expect(parseCodeowners(FILE, "x".repeat(CODEOWNERS_MAX_BYTES)).status).toBe("unusable");
  });
});

describe("findCodeowners", () => {
  it("looks in .github/, then the root, then docs/: the first found wins", () => {
    const all = new Map([
      ["docs/CODEOWNERS", "* @docs"],
      ["CODEOWNERS", "* @root"],
      [".github/CODEOWNERS", "* @github"],
    ]);
    const found = findCodeowners(all);
    expect(found).toMatchObject({ status: "parsed", file: ".github/CODEOWNERS" });
    expect(codeownersIndex(found).ownersOf("x")).toMatchObject({ owners: ["@github"] });
    expect(found.diagnostics).toEqual([
      { file: "CODEOWNERS", line: 1, severity: "warning", message: "ignored: GitHub uses .github/CODEOWNERS and looks no further" },
      { file: "docs/CODEOWNERS", line: 1, severity: "warning", message: "ignored: GitHub uses .github/CODEOWNERS and looks no further" },
    ]);
    expect(findCodeowners(new Map([["docs/CODEOWNERS", "* @docs"], ["CODEOWNERS", "* @root"]]))).toMatchObject({ file: "CODEOWNERS" });
    expect(findCodeowners(new Map([["docs/CODEOWNERS", "* @docs"]]))).toMatchObject({ file: "docs/CODEOWNERS" });
  });

  it("uses an empty file when it is the first found (nothing owned), rather than looking further", () => {
    const found = findCodeowners(new Map([[".github/CODEOWNERS", ""], ["CODEOWNERS", "* @root"]]));
    expect(codeownersIndex(found).ownersOf("x")).toEqual({ path: "x", status: "unowned" });
  });

  it("is absent when no candidate exists (lower-case or other places do not count)", () => {
    const found = findCodeowners(new Map([[".github/codeowners", "* @a"], [".gitlab/CODEOWNERS", "* @a"]]));
    expect(found).toEqual({ status: "absent", diagnostics: [] });
    expect(codeownersIndex(found).ownersOf("x")).toEqual({ path: "x", status: "unowned" });
  });
});
