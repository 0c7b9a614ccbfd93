import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DiffJson } from "../../src/report/diff-json.js";
import { runCli } from "../support/cli.js";
import { git } from "../support/git.js";
import { tempTree } from "../support/temp-tree.js";

const POLICY = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-all, namespace: shop }\nspec: { action: ALLOW, rules: [{}] }\n";

describe("meshgate render on a directory with symbolic links and empty places", () => {
  it("follows a link inside the tree, and refuses one that leaves it with an error at the link", async () => {
    const outside = tempTree({ "policy.yaml": POLICY });
    const root = tempTree({ "shared/policy.txt": POLICY, "apps/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n" });
    symlinkSync("../shared/policy.txt", join(root, "apps/policy.yaml"));
    symlinkSync(join(outside, "policy.yaml"), join(root, "apps/escape.yaml"));
    const run = await runCli(["render", root, "--format", "json"]);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { resources: { kind: string; source: { file: string } }[]; diagnostics: { file: string; severity: string; message: string }[] };
    expect(output.resources.map((r) => `${r.kind} ${r.source.file}`)).toEqual(["AuthorizationPolicy apps/policy.yaml"]);
    expect(output.diagnostics.filter((d) => d.file.startsWith("apps/")).map((d) => [d.file, d.severity])).toEqual([["apps/escape.yaml", "error"], ["apps/policy.yaml", "notice"]]);
    expect(run.stderr).toContain("apps/escape.yaml:1: error: symbolic link to");
  });

  it("says that a directory is empty, and that a tree holds no manifest at all", async () => {
    const root = tempTree({ "README.md": "docs only\n" });
    mkdirSync(join(root, "apps/empty"), { recursive: true });
    const run = await runCli(["render", root, "--format", "json"]);
    expect(run.code).toBe(0);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { file: string; severity: string; message: string }[] };
    expect(diagnostics).toEqual([
      { file: "apps/empty", line: 1, severity: "notice", message: "empty directory: nothing to read" },
      { file: ".", line: 1, severity: "notice", message: "no .yaml, .yml or .json file here: there are no manifests to read" },
    ]);
  });

  it("warns of an include glob that matches nothing", async () => {
    const root = tempTree({ ".github/meshgate.yml": "manifests:\n  include: ['deploy/**/*.yaml']\n", "k8s/policy.yaml": POLICY });
    const run = await runCli(["render", root, "--format", "json"]);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { severity: string; message: string }[] };
    expect(diagnostics).toContainEqual({ file: ".github/meshgate.yml", line: 1, severity: "warning", message: "manifests.include `deploy/**/*.yaml` matches no file: nothing is read through it" });
  });
});

describe("meshgate diff on git revisions with symbolic links", () => {
  it("reads a link's target at the link's path, and refuses a link out of the repository", async () => {
    const repo = tempTree({ "shared/policy.txt": POLICY, "apps/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n" });
    git(repo, "init", "--quiet", "--initial-branch=main");
    git(repo, "add", ".");
    git(repo, "commit", "--quiet", "-m", "base");
    git(repo, "checkout", "--quiet", "-b", "pr");
    symlinkSync("../shared/policy.txt", join(repo, "apps/policy.yaml"));
    symlinkSync("/etc/istio/mesh.yaml", join(repo, "apps/escape.yaml"));
    git(repo, "add", ".");
    git(repo, "commit", "--quiet", "-m", "links");
    const run = await runCli(["diff", "--base", "main", "--head", "pr", "--format", "json"], repo);
    expect((JSON.parse(run.stdout) as DiffJson).changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual(["added AuthorizationPolicy shop/allow-all"]);
    expect(run.stderr).toContain("apps/escape.yaml:1: error: symbolic link to `/etc/istio/mesh.yaml` leaves the repository");
    expect(run.stderr).toContain("apps/policy.yaml:1: notice: symbolic link: shared/policy.txt is read at this path");
  });
});
