import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DiffJson } from "../../src/report/diff-json.js";
import { runCli } from "../support/cli.js";
import { tempTree } from "../support/temp-tree.js";
import { appWithTraits } from "../support/render.js";
import { FIXTURES } from "./diff-fixture.js";

const canary = join(FIXTURES, "canary-mtls");

describe("meshgate diff (directories)", () => {
  it("prints JSON in the documented shape and exits 0", async () => {
    const run = await runCli(["diff", "--base", "base", "--head", "head", "--format", "json"], canary);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const output = JSON.parse(run.stdout) as DiffJson;
    expect(output.changes.map((c) => Object.keys(c))).toEqual([
      ["change", "kind", "namespace", "name", "fields", "notes"],
      ["change", "kind", "namespace", "name", "fields", "notes"],
    ]);
    expect(output.changes[0]).toEqual({
      change: "modified",
      kind: "PeerAuthentication",
      namespace: "shop",
      name: "frontend",
      fields: [
        { path: "/spec/mtls/mode", before: "STRICT", after: "PERMISSIVE" },
        { path: "/spec/portLevelMtls", before: null, after: { "9090": { mode: "DISABLE" } } },
      ],
      notes: [
        "mTLS for shop/frontend: STRICT → PERMISSIVE (security downgrade) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)",
        "mTLS for shop/frontend port 9090: STRICT → DISABLE (security downgrade: plaintext) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)",
      ],
    });
  });

  it("prints markdown for a PR comment: summary table, notes, one collapsible diff per resource", async () => {
    const run = await runCli(["diff", "--base", "base", "--head", "head", "--format", "markdown"], canary);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatchInlineSnapshot(`
      "### Mesh changes

      | Kind | Added | Removed | Modified |
      |---|---:|---:|---:|
      | PeerAuthentication | 0 | 0 | 1 |
      | VirtualService | 0 | 0 | 1 |

      #### What changes in behaviour

      - **high**: mTLS for shop/frontend: STRICT → PERMISSIVE (security downgrade) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)
      - **high**: mTLS for shop/frontend port 9090: STRICT → DISABLE (security downgrade: plaintext) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)
      - **low**: traffic on route \`default\`: stable 90% → 50%, canary 10% → 50% — VirtualService shop/frontend, apps/shop/app.yaml:22 (traffic-split trait)
      - **low**: retries removed on route \`default\`: Istio's default (2 retries) applies again (was 3 retries, per try timeout 2s) — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)
      - **low**: timeout on route \`default\`: 5s → 10s — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)

      #### Resources

      <details><summary>modified <code>PeerAuthentication shop/frontend</code> (2 notes)</summary>

      \`\`\`diff
      --- a/PeerAuthentication/shop/frontend.yaml
      +++ b/PeerAuthentication/shop/frontend.yaml
      @@ -12,4 +12,7 @@
             app.oam.dev/name: shop
             app.oam.dev/component: frontend
         mtls:
      -    mode: STRICT
      +    mode: PERMISSIVE
      +  portLevelMtls:
      +    "9090":
      +      mode: DISABLE
      \`\`\`

      </details>

      <details><summary>modified <code>VirtualService shop/frontend</code> (3 notes)</summary>

      \`\`\`diff
      --- a/VirtualService/shop/frontend.yaml
      +++ b/VirtualService/shop/frontend.yaml
      @@ -15,12 +15,9 @@
               - destination:
                   host: frontend.shop.svc.cluster.local
                   subset: stable
      -          weight: 90
      +          weight: 50
               - destination:
                   host: frontend.shop.svc.cluster.local
                   subset: canary
      -          weight: 10
      -      timeout: 5s
      -      retries:
      -        attempts: 3
      -        perTryTimeout: 2s
      +          weight: 50
      +      timeout: 10s
      \`\`\`

      </details>
      "
    `);
  });

  it("prints text for a terminal by default", async () => {
    const run = await runCli(["diff", "--base", "base", "--head", "head"], canary);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatchInlineSnapshot(`
      "2 resources changed: 0 added, 0 removed, 2 modified

      Behaviour:
        high   mTLS for shop/frontend: STRICT → PERMISSIVE (security downgrade) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)
        high   mTLS for shop/frontend port 9090: STRICT → DISABLE (security downgrade: plaintext) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)
        low    traffic on route \`default\`: stable 90% → 50%, canary 10% → 50% — VirtualService shop/frontend, apps/shop/app.yaml:22 (traffic-split trait)
        low    retries removed on route \`default\`: Istio's default (2 retries) applies again (was 3 retries, per try timeout 2s) — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)
        low    timeout on route \`default\`: 5s → 10s — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)

      Resources:
        ~ PeerAuthentication shop/frontend — apps/shop/app.yaml:17
            /spec/mtls/mode: "STRICT" → "PERMISSIVE"
            /spec/portLevelMtls: (absent) → {"9090":{"mode":"DISABLE"}}
        ~ VirtualService shop/frontend — apps/shop/app.yaml:22
            /spec/http/[name=default]/route/[destination.subset=stable]/weight: 90 → 50
            /spec/http/[name=default]/route/[destination.subset=canary]/weight: 10 → 50
            /spec/http/[name=default]/timeout: "5s" → "10s"
            /spec/http/[name=default]/retries: {"attempts":3,"perTryTimeout":"2s"} → (absent)
      "
    `);
  });

  it("exits 0 and says so when nothing changed", async () => {
    const run = await runCli(["diff", "--base", "base", "--head", "base"], canary);
    expect(run).toEqual({ code: 0, stdout: "No changes to the rendered mesh.\n", stderr: "" });
    const json = await runCli(["diff", "--base", "base", "--head", "base", "--format", "json"], canary);
    expect(JSON.parse(json.stdout)).toEqual({ changes: [] });
  });

  it("prints diagnostics of both sides on stderr as file:line: severity: message, the base's marked, and still exits 0", async () => {
    const base = tempTree({ "a.yaml": appWithTraits("- type: patch-loadbalancer") });
    const head = tempTree({ "a.yaml": appWithTraits("- type: mtls"), "b.yaml": "kind: [\n" });
    const run = await runCli(["diff", "--base", base, "--head", head, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(run.stderr.split("\n").filter(Boolean)).toEqual([
      `${base}/a.yaml:15: notice: (base) shop/frontend: trait \`patch-loadbalancer\` has no mesh effect known to meshgate: skipped`,
      expect.stringMatching(new RegExp(`^${head}/b\\.yaml:\\d+: error: YAML syntax error`)) as string,
    ]);
    expect((JSON.parse(run.stdout) as DiffJson).changes.map((c) => `${c.change} ${c.kind}`)).toEqual(["added PeerAuthentication"]);
  });

  it("reads the config from the base, never from the head", async () => {
    const app = appWithTraits("- type: mtls").replace("  namespace: shop\n", "");
    const base = tempTree({ ".github/meshgate.yml": "defaultNamespace: payments\n", "a.yaml": app });
    const head = tempTree({ ".github/meshgate.yml": "manifests: { include: [nothing/**] }\n", "a.yaml": app.replace("STRICT", "PERMISSIVE"), "b.yaml": appWithTraits("- type: mtls", { name: "api" }) });
    const run = await runCli(["diff", "--base", base, "--head", head, "--format", "json"]);
    const output = JSON.parse(run.stdout) as DiffJson;
    expect(output.changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual([
      "added Deployment shop/api",
      "added PeerAuthentication shop/api",
      "added Service shop/api",
      "added ServiceAccount shop/api",
    ]);
  });

  it("exits 2 on bad usage or an unreadable side", async () => {
    expect((await runCli(["diff", "--base", "base"], canary)).code).toBe(2);
    expect((await runCli(["diff", "--base", "base", "--head", "head", "--format", "sarif"], canary)).stderr).toContain("--format must be text, markdown or json");
    expect((await runCli(["diff", "--base", "base", "--head", "head", "extra"], canary)).code).toBe(2);
    const missing = await runCli(["diff", "--base", "no-such-dir", "--head", "head"], tempTree({ "head/a.yaml": "" }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("`no-such-dir` is neither a directory nor a git revision");
  });

  it("prints its usage with --help", async () => {
    const run = await runCli(["diff", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("meshgate diff --base <dir|rev> --head <dir|rev>");
  });
});
