import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { shopGateway, webVirtualService } from "../support/shop-gateway.js";
import { tempTree } from "../support/temp-tree.js";

interface Message { code: string; level: string; kind: string; namespace: string; name: string; file: string; line: number; message: string }

const gateway = shopGateway();

// A VirtualService bound to a Gateway that does not serve its host (IST0132, a Warning) and to
// one that does not exist (IST0101, an Error).
const broken = `${gateway}---\n${webVirtualService({ hosts: "api.example.com", gateways: "public, missing" })}`;

// Only a Warning: a Telemetry access logging entry without providers (IST0157).
const warningOnly = `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: shop }
spec:
  accessLogging:
    - filter: { expression: "response.code >= 400" }
`;

async function analyze(files: Record<string, string>, ...args: string[]): Promise<{ code: number; messages: Message[]; stderr: string }> {
  const root = tempTree(files);
  const run = await runCli(["analyze", root, "--format", "json", ...args], root);
  return { code: run.code, messages: (JSON.parse(run.stdout) as { messages: Message[] }).messages, stderr: run.stderr };
}

describe("meshgate analyze", () => {
  it("prints istioctl's text, one line per message with file and line, and exits 1 on an Error", async () => {
    const root = tempTree({ "mesh.yaml": broken });
    const run = await runCli(["analyze", root], root);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toEqual([
      "Warning [IST0132] (VirtualService shop/web mesh.yaml:10) one or more host [api.example.com] defined in VirtualService shop/web not found in Gateway shop/public.",
      'Error [IST0101] (VirtualService shop/web mesh.yaml:10) Referenced gateway not found: "missing"',
      "Warning [IST0132] (VirtualService shop/web mesh.yaml:10) one or more host [api.example.com] defined in VirtualService shop/web not found in Gateway shop/missing.",
    ]);
  });

  it("prints JSON messages with code, level, kind, namespace, name, file, line and message", async () => {
    const { code, messages } = await analyze({ "mesh.yaml": broken });
    expect(code).toBe(1);
    expect(messages.map((m) => `${m.code} ${m.level} ${m.kind} ${m.namespace}/${m.name} ${m.file}:${m.line}`)).toEqual([
      "IST0132 Warning VirtualService shop/web mesh.yaml:10",
      "IST0101 Error VirtualService shop/web mesh.yaml:10",
      "IST0132 Warning VirtualService shop/web mesh.yaml:10",
    ]);
    expect(messages[1]?.message).toBe('Referenced gateway not found: "missing"');
  });

  it("exits 0 with Warning messages only, and with none", async () => {
    const warned = await analyze({ "telemetry.yaml": warningOnly });
    expect(warned.messages.map((m) => `${m.code} ${m.level}`)).toEqual(["IST0157 Warning"]);
    expect(warned.code).toBe(0);
    const root = tempTree({ "mesh.yaml": gateway });
    const clean = await runCli(["analyze", root], root);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("No validation issues found");
  });

  it("lists the codes it implements as JSON, sorted", async () => {
    const run = await runCli(["analyze", "--list", "--format", "json"]);
    expect(run.code).toBe(0);
    const { codes } = JSON.parse(run.stdout) as { codes: string[] };
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(["IST0101", "IST0118", "IST0132", "IST0146", "IST0147", "IST0149", "IST0157"]) as string[]);
    expect(codes.every((c) => /^IST[0-9]{4}$/.test(c))).toBe(true);
  });

  it("exits 2 on bad usage: no directory, an unknown format, a missing directory", async () => {
    expect((await runCli(["analyze"])).code).toBe(2);
    expect((await runCli(["analyze", tempTree({ "a.yaml": gateway }), "--format", "xml"])).code).toBe(2);
    expect((await runCli(["analyze", "/no/such/directory"])).code).toBe(2);
  });

  it("drops what galley.istio.io/analyze-suppress names, as istioctl does", async () => {
    const suppressed = broken.replace("metadata: { name: web, namespace: shop }", "metadata: { name: web, namespace: shop, annotations: { galley.istio.io/analyze-suppress: IST0101 } }");
    const { code, messages } = await analyze({ "mesh.yaml": suppressed });
    expect(messages.map((m) => m.code)).toEqual(["IST0132", "IST0132"]);
    expect(code).toBe(0);
  });

  it("reads the mesh config: a default access log provider makes a provider-less entry valid (IST0157)", async () => {
    const withDefault = await analyze({ "telemetry.yaml": warningOnly, "mesh/config.yaml": "defaultProviders:\n  accessLogging: [envoy]\n" }, "--mesh-config", "mesh/config.yaml");
    expect(withDefault.messages).toEqual([]);
  });

  it("takes an EnvoyFilter with an empty match as applying to all: no error, no diagnostic", async () => {
    const filter = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: timeouts, namespace: shop }
spec:
  workloadSelector: { labels: { app: web } }
  configPatches:
    - applyTo: CLUSTER
      match:
      patch: { operation: MERGE, value: { connect_timeout: 2s } }
    - applyTo: CLUSTER
      match: {}
      patch: { operation: MERGE, value: { per_connection_buffer_limit_bytes: 32768 } }
`;
    const { code, messages, stderr } = await analyze({ "filter.yaml": filter });
    expect({ code, messages, stderr }).toEqual({ code: 0, messages: [], stderr: "" });
  });

  it("reports an unnamed Service port (IST0118), but not in the namespaces and Services Istio exempts", async () => {
    const service = (name: string, namespace: string, ports: string, labels = "{}"): string => `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, labels: ${labels} }
spec:
  selector: { app: ${name} }
  ports: ${ports}
`;
    const files = {
      "services.yaml": [
        service("web", "shop", "[{ port: 8080 }, { port: 3306 }, { port: 9999, protocol: UDP }]"),
        service("dns", "kube-system", "[{ port: 9153 }]"),
        service("istiod", "istio-system", "[{ name: xds, port: 15010 }]", "{ istio: pilot }"),
        service("waypoint", "ambient", "[{ name: mesh, port: 15008, appProtocol: hbone }]"),
      ].join("---\n"),
    };
    const { messages } = await analyze(files);
    expect(messages.map((m) => `${m.code} ${m.namespace}/${m.name} ${m.message}`)).toEqual([
      "IST0118 shop/web Port name  (port: 8080, targetPort: ) doesn't follow the naming convention of Istio port.",
    ]);
  });
});
