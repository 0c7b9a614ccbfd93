import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { reviewsFile } from "../support/reviews-file.js";
import { tempTree } from "../support/temp-tree.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const NOW = ["--now", "2026-11-28T12:00:00Z"];
const fixture = (name: string, side?: "base" | "head"): string => join(FIXTURES, name, ...(side ? [side] : []));

interface CheckJson {
  conclusion: string;
  findings: { rule: string; status: string; blocking: boolean; kind: string | null; namespace: string | null; name: string | null; file: string; line: number; definition?: { name: string; file: string; line: number } }[];
  changes: { change: string; kind: string; namespace: string; name: string; fields: { path: string; before: unknown; after: unknown }[] }[];
  approvals: { rule: string; status: string; description: string }[];
  diagnostics: { file: string; line: number; severity: string; message: string; side: string }[];
}

interface RenderJson {
  resources: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; source: { file: string; line: number; definition?: { name: string } } }[];
  diagnostics: { file: string; line: number; severity: string; message: string }[];
}

async function check(name: string, extra: string[] = []): Promise<{ code: number; output: CheckJson }> {
  const run = await runCli(["check", "--base", fixture(name, "base"), "--head", fixture(name, "head"), "--format", "json", ...NOW, ...extra]);
  return { code: run.code, output: JSON.parse(run.stdout) as CheckJson };
}

/** Each CLI run is a fresh process that starts CUE: about a second alone, several on a loaded machine. */
const CLI_RUNS = { timeout: 30_000 };

const blocking = (output: CheckJson): string[] =>
  output.findings.filter((f) => f.blocking).map((f) => `${f.rule} ${f.kind ?? ""} ${f.namespace ?? ""}/${f.name ?? ""} ${f.file}:${f.line} ${f.definition ? `${f.definition.file}:${f.definition.line}` : "-"}`);

describe("a repository TraitDefinition that renders a Gateway and a VirtualService", CLI_RUNS, () => {
  it("fails a pull request that starts using it with TLS off, at the Application's line and the definition's", async () => {
    const { code, output } = await check("public-route-tls-off");
    expect(code).toBe(1);
    expect(output.conclusion).toBe("failure");
    expect(blocking(output)).toEqual(["EDGE-001 Gateway shop/storefront-public apps/shop.yaml:25 definitions/public-route.yaml:3"]);
    expect(output.changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual(["added Gateway shop/storefront-public", "added VirtualService shop/storefront-public"]);
    expect(output.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("renders its defaults when the Application leaves TLS on: an HTTPS server and a redirect", async () => {
    const run = await runCli(["render", fixture("definition-drops-tls", "base"), "--format", "json"]);
    const render = JSON.parse(run.stdout) as RenderJson;
    const gateway = render.resources.find((r) => r.kind === "Gateway" && r.metadata.namespace === "shop");
    expect(gateway?.spec).toEqual({
      selector: { istio: "ingressgateway" },
      servers: [
        { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["shop.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-web-cert" } },
        { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"], tls: { httpsRedirect: true } },
      ],
    });
    expect(gateway?.source).toMatchObject({ file: "apps/shop.yaml", line: 25, definition: { name: "public-route" } });
    expect(run.code).toBe(0);
  });

  it("shows an edit of the definition alone on every Application that uses it, and fails it", async () => {
    const { code, output } = await check("definition-drops-tls");
    expect(code).toBe(1);
    const gateways = output.changes.filter((c) => c.kind === "Gateway");
    expect(gateways.map((c) => `${c.change} ${c.namespace}/${c.name}`)).toEqual(["modified blog/blog-web-public", "modified shop/shop-web-public"]);
    for (const change of gateways) {
      expect(change.fields.map((f) => `${f.path} ${f.after === null ? "removed" : "changed"}`)).toEqual(["/spec/servers/[port.name=http]/tls removed", "/spec/servers/[port.name=https] removed"]);
    }
    expect(output.changes.map((c) => c.kind)).toContain("TraitDefinition");
    expect(blocking(output)).toEqual([
      "EDGE-001 Gateway blog/blog-web-public apps/blog.yaml:25 definitions/public-route.yaml:4",
      "EDGE-001 Gateway shop/shop-web-public apps/shop.yaml:25 definitions/public-route.yaml:4",
    ]);
  });

  it("needs the security team's approval for the edit of the definition (CHG-002)", async () => {
    const { output } = await check("definition-drops-tls", ["--reviews", reviewsFile()]);
    const security = output.approvals.filter((a) => a.rule === "CHG-002" && a.description.includes("TraitDefinition"));
    expect(security.map((a) => a.status)).toEqual(["pending"]);
    expect(security[0]?.description).toContain("@acme/security");
  });
});

describe("a repository definition that does not evaluate", CLI_RUNS, () => {
  it("is an error at the template's line, and every component using it fails closed", async () => {
    const { code, output } = await check("definition-does-not-evaluate");
    expect(code).toBe(1);
    const errors = output.diagnostics.filter((d) => d.severity === "error" && d.side === "head");
    expect(errors.map((d) => `${d.file}:${d.line}`)).toEqual(["apps/blog.yaml:25", "apps/shop.yaml:25", "definitions/public-route.yaml:25"]);
    expect(errors[2]?.message).toBe('TraitDefinition public-route does not evaluate: outputs.gateway.spec.servers.0.port.number: conflicting values "443" and int (mismatched types string and int)');
    expect(errors[0]?.message).toContain("(definitions/public-route.yaml:25) cannot be evaluated: nothing of this component is rendered, and it fails closed");
    // Nothing of a failing component renders: no half of it can pass for the whole.
    const removed = output.changes.filter((c) => c.change === "removed").map((c) => `${c.kind} ${c.namespace}/${c.name}`);
    expect(removed).toEqual(expect.arrayContaining(["Deployment shop/shop-web", "Gateway shop/shop-web-public", "PeerAuthentication shop/shop-web", "Deployment blog/blog-web"]));
    expect(output.changes.filter((c) => c.change === "added")).toEqual([]);
  });
});

describe("a vendored copy of a catalog trait", CLI_RUNS, () => {
  it("renders as the copy says, not as meshgate's own renderer of that name", async () => {
    const dir = fixture("vendored-catalog-trait");
    const withCopy = JSON.parse((await runCli(["render", dir, "--format", "json"])).stdout) as RenderJson;
    const gateway = withCopy.resources.find((r) => r.kind === "Gateway");
    expect(gateway?.source.definition?.name).toBe("istio-gateway");
    expect(gateway?.spec).toEqual({
      selector: { istio: "ingressgateway" },
      servers: [
        { port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["shop.example.com"], tls: { mode: "SIMPLE", credentialName: "shop-cert" } },
        { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"], tls: { httpsRedirect: true } },
      ],
    });
    expect(withCopy.diagnostics.filter((d) => d.severity === "error")).toEqual([]);

    // Without the copy, the type is meshgate's to render (or no one's): never the copy's output.
    const apps = tempTree({ "apps/shop.yaml": readFileSync(join(dir, "apps/shop.yaml"), "utf8") });
    const without = JSON.parse((await runCli(["render", apps, "--format", "json"])).stdout) as RenderJson;
    expect(without.resources.find((r) => r.kind === "Gateway")?.spec).not.toEqual(gateway?.spec);
  });
});
