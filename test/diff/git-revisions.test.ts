import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitSnapshot, mergeBase, resolveCommit } from "../../src/cli/git-snapshot.js";
import type { DiffJson } from "../../src/report/diff-json.js";
import { runCli } from "../support/cli.js";
import { git } from "../support/git.js";
import { tempTree } from "../support/temp-tree.js";
import { FIXTURES } from "./diff-fixture.js";

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const fixture = (path: string): string => readFileSync(join(FIXTURES, path), "utf8");

/**
 * main: the canary app and a gateway. feature branches off and shifts the canary and weakens
 * mTLS; main then moves on and adds a public host to the gateway. A diff of main..feature
 * must show the feature's changes only. `broken` adds an invalid manifest on top of feature.
 */
let repo: string;
beforeAll(() => {
  repo = tempTree();
  git(repo, "init", "--quiet", "--initial-branch=main");
  write(repo, "apps/shop/app.yaml", fixture("canary-mtls/base/apps/shop/app.yaml"));
  write(repo, "edge/gateways.yaml", fixture("public-hosts/base/gateways.yaml"));
  write(repo, "README.md", "not a manifest\n");
  git(repo, "add", ".");
  git(repo, "commit", "--quiet", "-m", "initial");
  git(repo, "checkout", "--quiet", "-b", "feature");
  write(repo, "apps/shop/app.yaml", fixture("canary-mtls/head/apps/shop/app.yaml"));
  git(repo, "commit", "--quiet", "-am", "canary 50%");
  git(repo, "checkout", "--quiet", "main");
  write(repo, "edge/gateways.yaml", fixture("public-hosts/head/gateways.yaml"));
  git(repo, "commit", "--quiet", "-am", "main moves on");
  git(repo, "checkout", "--quiet", "-b", "broken", "feature");
  write(repo, "apps/broken.yaml", "kind: [\n");
  git(repo, "add", "apps/broken.yaml");
  git(repo, "commit", "--quiet", "-m", "broken manifest");
  git(repo, "checkout", "--quiet", "main");
  // Uncommitted edits in the work tree are no part of any revision.
  write(repo, "apps/shop/app.yaml", "kind: [\n");
});

describe("meshgate diff (git revisions)", () => {
  it("compares the head with the merge base: only the branch's own changes appear", async () => {
    const run = await runCli(["diff", "--base", "main", "--head", "feature", "--format", "json"], repo);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const output = JSON.parse(run.stdout) as DiffJson;
    expect(output.changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual([
      "modified PeerAuthentication shop/frontend",
      "modified VirtualService shop/frontend",
    ]);
    expect(output.changes[1]?.notes[0]).toBe("traffic on route `default`: stable 90% → 50%, canary 10% → 50% — VirtualService shop/frontend, apps/shop/app.yaml:22 (traffic-split trait)");
  });

  it("accepts any revision syntax git does, from a subdirectory too", async () => {
    const run = await runCli(["diff", "--base", "main~1", "--head", "feature", "--format", "json"], join(repo, "apps"));
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as DiffJson).changes).toHaveLength(2);
  });

  it("compares a directory side as it is: no merge base then", async () => {
    const worktree = tempTree();
    write(worktree, "apps/shop/app.yaml", fixture("canary-mtls/head/apps/shop/app.yaml"));
    write(worktree, "edge/gateways.yaml", fixture("public-hosts/base/gateways.yaml"));
    const run = await runCli(["diff", "--base", "main", "--head", worktree, "--format", "json"], repo);
    const kinds = (JSON.parse(run.stdout) as DiffJson).changes.map((c) => `${c.kind} ${c.namespace}/${c.name}`);
    expect(kinds).toContain("Gateway shop/shop-gw");
    expect(kinds).toContain("VirtualService shop/frontend");
  });

  it("reports the diagnostics of a revision at paths relative to the current directory", async () => {
    const run = await runCli(["diff", "--base", "main", "--head", "broken"], join(repo, "apps"));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\.\.\/apps\/broken\.yaml:2: error: YAML syntax error/);
  });

  it("exits 2 for a name that is neither a directory nor a revision, or that looks like an option", async () => {
    const unknown = await runCli(["diff", "--base", "no-such-branch", "--head", "feature"], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("`no-such-branch` is neither a directory nor a git revision of the repository in");
    expect((await runCli(["diff", "--base=--output=/tmp/x", "--head", "feature"], repo)).code).toBe(2);
  });

  it("exits 2 outside a git repository", async () => {
    const run = await runCli(["diff", "--base", "main", "--head", "feature"], tempTree());
    expect(run.code).toBe(2);
  });
});

describe("gitSnapshot", () => {
  it("reads the wanted files of a commit through git, without checking it out", async () => {
    const commit = await resolveCommit(repo, "feature");
    const { snapshot, diagnostics } = await gitSnapshot({ cwd: repo, commit, wanted: (p) => p.endsWith(".yaml") });
    expect(diagnostics).toEqual([]);
    expect([...snapshot.files.keys()]).toEqual(["apps/shop/app.yaml", "edge/gateways.yaml"]);
    expect(snapshot.files.get("apps/shop/app.yaml")).toBe(fixture("canary-mtls/head/apps/shop/app.yaml"));
  });

  it("finds the merge base of two branches", async () => {
    const [main, feature] = [await resolveCommit(repo, "main"), await resolveCommit(repo, "feature")];
    expect(await mergeBase(repo, main, feature)).toBe(git(repo, "rev-parse", "main~1").trim());
  });
});
