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

/** One breakage per category of Istio's analyzers, and the same configuration made right. */
interface CategoryCase { category: string; rule: string; broken: string; fixed: string }

const serviceFor = (name: string): string => `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80 }]
`;

const CATEGORIES: CategoryCase[] = [
  {
    category: "gateways (a Gateway that selects no proxy)",
    rule: "IST-101",
    broken: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: no-such-gateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
`,
    fixed: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
`,
  },
  {
    category: "destination rules (TLS origination without a CA)",
    rule: "IST-128",
    broken: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  trafficPolicy: { tls: { mode: SIMPLE } }
${serviceFor("web")}`,
    fixed: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  trafficPolicy: { tls: { mode: SIMPLE, caCertificates: /etc/certs/ca.pem } }
${serviceFor("web")}`,
  },
  {
    category: "service entries (a TCP port without addresses)",
    rule: "IST-134",
    broken: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
  location: MESH_EXTERNAL
  exportTo: ["."]
  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]
  resolution: DNS
`,
    fixed: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
  addresses: [240.0.0.10]
  location: MESH_EXTERNAL
  exportTo: ["."]
  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]
  resolution: DNS
`,
  },
  {
    category: "envoy filters (an ADD Istio ignores)",
    rule: "IST-153",
    broken: `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: routes, namespace: shop }
spec:
  workloadSelector: { labels: { app: web } }
  configPatches:
    - applyTo: HTTP_ROUTE
      match: { context: SIDECAR_INBOUND }
      patch: { operation: ADD, value: { name: extra } }
`,
    fixed: `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: routes, namespace: shop }
spec:
  workloadSelector: { labels: { app: web } }
  configPatches:
    - applyTo: HTTP_ROUTE
      match: { context: SIDECAR_INBOUND }
      patch: { operation: MERGE, value: { name: extra } }
`,
  },
  {
    category: "sidecars (two without a workload selector in one namespace)",
    rule: "IST-111",
    broken: `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec:
  egress: [{ hosts: ["./*"] }]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: other, namespace: shop }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
`,
    fixed: `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
`,
  },
  {
    category: "telemetry (access logging without a provider)",
    rule: "IST-157",
    broken: `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: shop }
spec:
  accessLogging: [{ filter: { expression: "response.code >= 400" } }]
`,
    fixed: `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: shop }
spec:
  accessLogging: [{ providers: [{ name: envoy }], filter: { expression: "response.code >= 400" } }]
`,
  },
  {
    category: "authentication (JWT claim routing at a gateway no RequestAuthentication covers)",
    rule: "IST-149",
    broken: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [public]
  http:
    - match: [{ headers: { "@request.auth.claims.group": { exact: admin } } }]
      route: [{ destination: { host: web } }]
${serviceFor("web")}`,
    fixed: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [public]
  http:
    - match: [{ headers: { "@request.auth.claims.group": { exact: admin } } }]
      route: [{ destination: { host: web } }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ingress-jwt, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com" }]
${serviceFor("web")}`,
  },
  {
    category: "workloads (an application running as the proxy's UID)",
    rule: "IST-144",
    broken: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      securityContext: { runAsUser: 1337 }
      containers: [{ name: app, image: app:1 }]
`,
    fixed: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      securityContext: { runAsUser: 1000 }
      containers: [{ name: app, image: app:1 }]
`,
  },
  {
    category: "injection (a Pod written with the injector's placeholder image)",
    rule: "IST-147",
    broken: `apiVersion: v1
kind: Pod
metadata: { name: proxy, namespace: shop }
spec:
  containers: [{ name: istio-proxy, image: auto }]
`,
    fixed: `apiVersion: v1
kind: Pod
metadata: { name: proxy, namespace: shop }
spec:
  containers: [{ name: istio-proxy, image: "docker.io/istio/proxyv2:1.30.3" }]
`,
  },
  {
    category: "services (an ExternalName Service port named tcp)",
    rule: "IST-150",
    broken: `apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: shop }
spec:
  type: ExternalName
  externalName: legacy.example.com
  ports: [{ name: tcp, port: 80 }]
`,
    fixed: `apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: shop }
spec:
  type: ExternalName
  externalName: legacy.example.com
  ports: [{ name: http, port: 80 }]
`,
  },
];

function revisionOf(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "meshgate-ist-"));
  temporary.push(dir);
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/meshgate.yml"), CONFIG);
  writeFileSync(join(dir, "mesh.yaml"), text);
  return dir;
}

describe.each(CATEGORIES.map((c) => [c.category, c] as const))("Istio's analyzers in the gate (category: %s)", (_, { rule, broken, fixed }) => {
  it(`fails a change that introduces the breakage, as new ${rule}`, async () => {
    const { code, findings } = await check(revisionOf(fixed), revisionOf(broken));
    // One finding per resource at fault (two conflicting Sidecars are two).
    const own = findings.filter((f) => f.rule === rule);
    expect(own.length).toBeGreaterThan(0);
    expect([...new Set(own.map((f) => `${f.status} ${String(f.blocking)}`))]).toEqual(["new true"]);
    expect(own[0]?.message).toContain(`[IST0${rule.slice(4)}]`);
    expect(code).toBe(1);
  });

  it("reports the same breakage already on the base as preexisting, and passes", async () => {
    const { code, findings } = await check(revisionOf(broken), revisionOf(broken));
    const own = findings.filter((f) => f.rule === rule);
    expect(own.length).toBeGreaterThan(0);
    expect([...new Set(own.map((f) => f.status))]).toEqual(["preexisting"]);
    expect(findings.filter((f) => f.status === "new")).toEqual([]);
    expect(code).toBe(0);
  });

  it("has no such finding on the configuration made right", async () => {
    const { findings } = await check(revisionOf(fixed), revisionOf(fixed));
    expect(findings.filter((f) => f.rule === rule)).toEqual([]);
  });
});
