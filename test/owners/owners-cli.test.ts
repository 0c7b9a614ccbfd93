import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";
import { CODEOWNERS_MAX_BYTES } from "../../src/core/owners/parse-codeowners.js";
import { tempTree } from "../support/temp-tree.js";

async function owners(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, cwd };
  const code = await main(["owners", ...args], io);
  return { code, stdout, stderr };
}

const CODEOWNERS = "* @acme/platform\n/apps/shop/ @maria @acme/shop\n/apps/shop/generated/\n!secret @x\n";

describe("meshgate owners", () => {
  it("prints JSON owners per path, [] for unowned, and reports skipped lines on stderr", async () => {
    const root = tempTree({ ".github/CODEOWNERS": CODEOWNERS });
    const run = await owners(["--root", root, "--format", "json", "apps/shop/app.yaml", "apps/shop/generated/x.yaml", "README.md"], "/");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ "apps/shop/app.yaml": ["@maria", "@acme/shop"], "apps/shop/generated/x.yaml": [], "README.md": ["@acme/platform"] });
    expect(run.stderr).toBe(`${root}/.github/CODEOWNERS:4: error: line skipped, as GitHub skips it: negation (\`!\`) is not supported in CODEOWNERS\n`);
  });

  it("prints one text line per path with the deciding line, reading from the current directory by default", async () => {
    const root = tempTree({ CODEOWNERS });
    const run = await owners(["apps/shop/app.yaml", "./apps/shop/generated/x.yaml", "lib/"], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "apps/shop/app.yaml: @maria @acme/shop (CODEOWNERS:2 /apps/shop/)",
        "apps/shop/generated/x.yaml: unowned (CODEOWNERS:3 /apps/shop/generated/ has no owners)",
        "lib: @acme/platform (CODEOWNERS:1 *)",
        "",
      ].join("\n"),
    );
    expect(run.stderr).toContain("CODEOWNERS:4: error: line skipped");
  });

  it("takes an absolute path inside the root", async () => {
    const root = tempTree({ "docs/CODEOWNERS": "/apps/ @apps\n" });
    const run = await owners(["--root", root, "--format", "json", join(root, "apps", "a.yaml")], "/");
    expect(JSON.parse(run.stdout)).toEqual({ "apps/a.yaml": ["@apps"] });
  });

  it("says nothing is owned when there is no CODEOWNERS file", async () => {
    const root = tempTree({ "README.md": "hi\n" });
    const run = await owners(["--format", "json", "README.md"], root);
    expect(run).toMatchObject({ code: 0, stdout: '{\n  "README.md": []\n}\n' });
    expect(run.stderr).toContain("no CODEOWNERS file");
  });

  it("fails closed on a CODEOWNERS file of 3 MB or more: exit 1, owners null (unknown), never []", async () => {
    const root = tempTree({ ".github/CODEOWNERS": `* @acme/platform\n${"#".repeat(CODEOWNERS_MAX_BYTES)}\n` });
    const json = await owners(["--root", root, "--format", "json", "a.txt"], "/");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ "a.txt": null });
    expect(json.stderr).toContain(".github/CODEOWNERS:1: error: .github/CODEOWNERS is 3 MB or larger");
    const text = await owners(["--root", root, "a.txt"], "/");
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^a\.txt: owners unknown \(/);
  });

  it("reports a binary CODEOWNERS line by line, without crashing", async () => {
    const root = tempTree({});
    mkdirSync(join(root, ".github"));
    writeFileSync(join(root, ".github", "CODEOWNERS"), Buffer.concat([Buffer.from("* @a\n"), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 131) % 256))]));
    const run = await owners(["--root", root, "--format", "json", "x"], "/");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ x: ["@a"] });
    expect(run.stderr).toMatch(/CODEOWNERS:\d+: error: line skipped, as GitHub skips it: /);
  });

  it.each([
    [["--root", "/nonexistent/meshgate", "a"], "not a directory"],
    [[], "at least one path"],
    [["--format", "yaml", "a"], "--format must be text or json"],
    [["../outside"], "not a path inside the repository root"],
    [["--bogus", "a"], "--bogus"],
  ])("exits 2 on bad usage or an unreadable root: %j", async (args, message) => {
    const run = await owners(args, tempTree({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
