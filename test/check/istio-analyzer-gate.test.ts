import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

// IST0132 is a Warning in Istio, so medium in the gate: the config fails the check on medium.
const CONFIG = "rules:\n  failOn: medium\n";

function revision(vsHost: string, annotations = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "meshgate-ist-"));
  temporary.push(dir);
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/meshgate.yml"), CONFIG);
  writeFileSync(
    join(dir, "mesh.yaml"),
    `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ["shop.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop${annotations}
spec:
  hosts: [${vsHost}]
  gateways: [public]
  http:
    - route: [{ destination: { host: web } }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
`,
  );
  return dir;
}

interface Finding { rule: string; status: string; blocking: boolean; message: string; name: string | null }

async function check(base: string, head: string): Promise<{ code: number; findings: Finding[] }> {
  const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", "--now", "2026-11-28T12:00:00Z"]);
  return { code: run.code, findings: (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => f.rule.startsWith("IST-")) };
}

describe("Istio's analyzers in the gate (category: routing)", () => {
  it("fails a change that binds a VirtualService to a Gateway that does not serve its host, as new", async () => {
    const { code, findings } = await check(revision("shop.example.com"), revision("api.example.com"));
    expect(code).toBe(1);
    expect(findings.map((f) => `${f.rule} ${f.status} ${f.name ?? ""}`)).toEqual(["IST-132 new web"]);
    expect(findings[0]?.message).toContain("[IST0132]");
    expect(findings[0]?.blocking).toBe(true);
  });

  it("reports the same breakage already on the base as preexisting, and passes", async () => {
    const { code, findings } = await check(revision("api.example.com"), revision("api.example.com"));
    expect(findings.map((f) => `${f.rule} ${f.status}`)).toEqual(["IST-132 preexisting"]);
    expect(code).toBe(0);
  });

  it("passes the unbroken revision with no IST finding", async () => {
    const { code, findings } = await check(revision("shop.example.com"), revision("shop.example.com"));
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("keeps a finding that the head silences with galley.istio.io/analyze-suppress, and says the annotation is ignored", async () => {
    const suppressed = "\n  annotations: { galley.istio.io/analyze-suppress: IST0132 }";
    const { code, findings } = await check(revision("shop.example.com"), revision("api.example.com", suppressed));
    expect(code).toBe(1);
    expect(findings.map((f) => `${f.rule} ${f.status}`)).toEqual(["IST-132 new"]);
    expect(findings[0]?.message).toContain("annotation is ignored by the gate");
  });
});
