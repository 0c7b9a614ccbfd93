import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { appWithTraits } from "../support/render.js";
import { runCli } from "../support/cli.js";
import { tempTree } from "../support/temp-tree.js";

describe("meshgate render", () => {
  it("says it takes a directory when given a file, and exits 2", async () => {
    const root = tempTree({ "apps/shop.yaml": appWithTraits("- type: mtls") });
    const run = await runCli(["render", "apps/shop.yaml"], root);
    expect(run).toEqual({ code: 2, stdout: "", stderr: expect.stringContaining("render takes a directory, and apps/shop.yaml is a file") as string });
    expect((await runCli(["render", "no-such-dir"], root)).code).toBe(2);
  });

  it("prints multi-document YAML without provenance, and exits 0", async () => {
    const root = tempTree({ "apps/shop.yaml": appWithTraits("- type: mtls") });
    const run = await runCli(["render", root]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const documents = parseAllDocuments(run.stdout).map((d) => d.toJS() as { kind: string; source?: unknown });
    expect(documents.map((d) => d.kind)).toEqual(["Deployment", "PeerAuthentication", "Service", "ServiceAccount"]);
    expect(documents.every((d) => d.source === undefined)).toBe(true);
  });

  it("prints JSON with provenance and diagnostics", async () => {
    const root = tempTree({ "apps/shop.yaml": appWithTraits("- type: mtls\n- type: patch-loadbalancer") });
    const run = await runCli(["render", root, "--format", "json"]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { resources: { kind: string; source: unknown }[]; diagnostics: unknown[] };
    expect(output.resources.find((r) => r.kind === "PeerAuthentication")?.source).toEqual({ file: "apps/shop.yaml", line: 15, app: "shop", component: "frontend", trait: "mtls" });
    expect(output.diagnostics).toEqual([{ file: "apps/shop.yaml", line: 16, severity: "notice", message: "shop/frontend: trait `patch-loadbalancer` has no mesh effect known to meshgate: skipped" }]);
  });

  it("reports error diagnostics on stderr as file:line and exits 1, still printing the rest", async () => {
    const root = tempTree({ "a.yaml": "kind: [\n", "b.yaml": appWithTraits("- type: mtls") });
    const run = await runCli(["render", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^${root}/a\\.yaml:\\d+: error: YAML syntax error: `));
    expect(run.stdout).toContain("kind: PeerAuthentication");
  });

  it("applies the repository's config, and fails on an invalid one", async () => {
    const app = appWithTraits("- type: mtls").replace("  namespace: shop\n", "");
    const configured = await runCli(["render", tempTree({ ".github/meshgate.yml": "defaultNamespace: payments\n", "a.yaml": app }), "--format", "json"]);
    expect((JSON.parse(configured.stdout) as { resources: { metadata: { namespace: string } }[] }).resources.map((r) => r.metadata.namespace)).toContain("payments");
    const invalid = await runCli(["render", tempTree({ ".github/meshgate.yml": "defaultNamespce: payments\n", "a.yaml": app })]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(".github/meshgate.yml:1: error: invalid config: unknown key `defaultNamespce`; allowed: manifests, defaultNamespace, mesh, rules, waivers, approvals");
  });

  it.each([
    [["render"], "render takes one directory"],
    [["render", "a", "b"], "render takes one directory"],
    [["render", ".", "--format", "xml"], "--format must be yaml or json, not xml"],
    [["render", ".", "--frmat", "json"], "Unknown option '--frmat'"],
    [["render", "/does/not/exist"], "cannot read /does/not/exist: no such directory"],
  ])("exits 2 on bad usage or an unreadable path: %j", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("renders the bundled example with no error diagnostics, deterministically", async () => {
    const first = await runCli(["render", "examples/shop"]);
    expect(first.stderr.split("\n").filter((l) => l.includes(": error: "))).toEqual([]);
    expect(first.code).toBe(0);
    expect((await runCli(["render", "examples/shop"])).stdout).toBe(first.stdout);
  });

  it("prints help", async () => {
    expect((await runCli(["--help"])).stdout).toContain("meshgate render <dir>");
    expect((await runCli(["render", "--help"])).stdout).toContain("Exit codes");
    expect((await runCli(["frobnicate"])).code).toBe(2);
  });
});
