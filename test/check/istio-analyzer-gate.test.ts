import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { shopGateway, webVirtualService } from "../support/shop-gateway.js";
import { tempTree } from "../support/temp-tree.js";

// IST0132 is a Warning in Istio, so medium in the gate: the config fails the check on medium.
const CONFIG = "rules:\n  failOn: medium\n";

/** A repository of the gate's config and one manifest file. */
function revisionOf(text: string): string {
  return tempTree({ ".github/meshgate.yml": CONFIG, "mesh.yaml": text });
}

const serviceFor = (name: string): string => `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80 }]
`;

/** Gateway shop/public and VirtualService shop/web for `vsHost` bound to it, with Service web. */
function revision(vsHost: string, metadata = ""): string {
  return revisionOf(`${shopGateway()}---\n${webVirtualService({ hosts: vsHost, gateways: "public", metadata })}${serviceFor("web")}`);
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
    const suppressed = ", annotations: { galley.istio.io/analyze-suppress: IST0132 }";
    const { code, findings } = await check(revision("shop.example.com"), revision("api.example.com", suppressed));
    expect(code).toBe(1);
    expect(findings.map((f) => `${f.rule} ${f.status}`)).toEqual(["IST-132 new"]);
    expect(findings[0]?.message).toContain("annotation is ignored by the gate");
  });
});

/** One breakage per category of Istio's analyzers, and the same configuration made right. */
interface CategoryCase { category: string; rule: string; broken: string; fixed: string }

/** DestinationRule shop/web with `tls` as its traffic policy's TLS settings, and Service web. */
const destinationRule = (tls: string): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  trafficPolicy: { tls: ${tls} }
${serviceFor("web")}`;

/** ServiceEntry shop/db for an external TCP database; `addresses` lines stand after its hosts. */
const serviceEntry = (addresses: string): string => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
${addresses}  location: MESH_EXTERNAL
  exportTo: ["."]
  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]
  resolution: DNS
`;

/** EnvoyFilter shop/routes patching web's inbound HTTP routes with `operation`. */
const envoyFilter = (operation: string): string => `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: routes, namespace: shop }
spec:
  workloadSelector: { labels: { app: web } }
  configPatches:
    - applyTo: HTTP_ROUTE
      match: { context: SIDECAR_INBOUND }
      patch: { operation: ${operation}, value: { name: extra } }
`;

/** A Sidecar of namespace shop without a workload selector, with `hosts` as its egress hosts. */
const sidecar = (name: string, hosts: string): string => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: shop }
spec:
  egress: [{ hosts: [${hosts}] }]
`;

/** Telemetry shop/logs with `entry` as its one access logging entry. */
const telemetry = (entry: string): string => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: shop }
spec:
  accessLogging: [${entry}]
`;

/** Routing on a JWT claim through Gateway shop/public; `authentication` documents stand before Service web. */
const claimRouting = (authentication: string): string => `${shopGateway()}---
${webVirtualService({ hosts: "shop.example.com", gateways: "public", match: '[{ headers: { "@request.auth.claims.group": { exact: admin } } }]' })}${authentication}${serviceFor("web")}`;

/** Deployment shop/web whose pods run as `runAsUser`. */
const deployment = (runAsUser: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      securityContext: { runAsUser: ${runAsUser} }
      containers: [{ name: app, image: app:1 }]
`;

/** Pod shop/proxy whose one container, istio-proxy, runs `image`. */
const proxyPod = (image: string): string => `apiVersion: v1
kind: Pod
metadata: { name: proxy, namespace: shop }
spec:
  containers: [{ name: istio-proxy, image: ${image} }]
`;

/** ExternalName Service shop/legacy whose one port is named `portName`. */
const externalName = (portName: string): string => `apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: shop }
spec:
  type: ExternalName
  externalName: legacy.example.com
  ports: [{ name: ${portName}, port: 80 }]
`;

const CATEGORIES: CategoryCase[] = [
  { category: "gateways (a Gateway that selects no proxy)", rule: "IST-101", broken: shopGateway("no-such-gateway"), fixed: shopGateway() },
  { category: "destination rules (TLS origination without a CA)", rule: "IST-128", broken: destinationRule("{ mode: SIMPLE }"), fixed: destinationRule("{ mode: SIMPLE, caCertificates: /etc/certs/ca.pem }") },
  { category: "service entries (a TCP port without addresses)", rule: "IST-134", broken: serviceEntry(""), fixed: serviceEntry("  addresses: [240.0.0.10]\n") },
  { category: "envoy filters (an ADD Istio ignores)", rule: "IST-153", broken: envoyFilter("ADD"), fixed: envoyFilter("MERGE") },
  {
    category: "sidecars (two without a workload selector in one namespace)",
    rule: "IST-111",
    broken: `${sidecar("default", '"./*"')}---\n${sidecar("other", '"./*", "istio-system/*"')}`,
    fixed: sidecar("default", '"./*", "istio-system/*"'),
  },
  { category: "telemetry (access logging without a provider)", rule: "IST-157", broken: telemetry('{ filter: { expression: "response.code >= 400" } }'), fixed: telemetry('{ providers: [{ name: envoy }], filter: { expression: "response.code >= 400" } }') },
  {
    category: "authentication (JWT claim routing at a gateway no RequestAuthentication covers)",
    rule: "IST-149",
    broken: claimRouting(""),
    fixed: claimRouting(`---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ingress-jwt, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com" }]
`),
  },
  { category: "workloads (an application running as the proxy's UID)", rule: "IST-144", broken: deployment(1337), fixed: deployment(1000) },
  { category: "injection (a Pod written with the injector's placeholder image)", rule: "IST-147", broken: proxyPod("auto"), fixed: proxyPod('"docker.io/istio/proxyv2:1.30.3"') },
  { category: "services (an ExternalName Service port named tcp)", rule: "IST-150", broken: externalName("tcp"), fixed: externalName("http") },
];

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
