// The core at scale (DESIGN §9): parse, render, diff and rules for a repository of N
// Applications take at most 3× the time of merely parsing and re-serialising the same YAML with
// the `yaml` package, measured in the same run.
//   node --import tsx bench/core.ts [--sizes 100,1000,5000]
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseAllDocuments } from "yaml";
import { readCatalog } from "../src/cli/read-catalog.js";
import { evaluate } from "../src/core/evaluate.js";
import type { Snapshot } from "../src/core/types.js";
import { time } from "./measure.js";

export interface CoreBenchFigures {
  bench: "core";
  applications: number;
  /** Files changed between base and head. */
  changed: number;
  bytes: number;
  /**
   * Parsing and re-serialising, with `yaml`, every distinct manifest text of the two sides (a
   * file the same on both is read once, as the core reads it once) (median of runs).
   */
  floorMs: number;
  /** `evaluate`: render both sides, diff, rules on both, findings (median of runs). */
  coreMs: number;
  ratio: number;
  findings: number;
  changes: number;
  heapMb: number;
}

const TARGET_RATIO = 3;

/**
 * One Application per file, every trait used, in 25 namespaces: what a large platform
 * repository looks like to meshgate. Deterministic, so every run measures the same input.
 * `changed`: the pull request's version (a canary at 50%, mTLS permissive).
 */
export function application(i: number, changed: boolean): string {
  const namespace = `team-${i % 25}`;
  const canary = changed ? 50 : 10;
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: app-${i}
  namespace: ${namespace}
spec:
  components:
    - name: svc-${i}
      type: webservice
      properties:
        image: ghcr.io/acme/svc-${i}:1.${i % 7}.0
        replicas: 3
        ports:
          - port: 8080
          - port: 9090
            appProtocol: grpc
      traits:
        - type: mesh-ingress
          properties:
            hosts: [svc-${i}.example.com]
            tls: { credentialName: svc-${i}-tls, minProtocolVersion: TLSV1_2 }
        - type: traffic-split
          properties:
            subsets:
              - { name: stable, labels: { version: stable }, weight: ${100 - canary} }
              - { name: canary, labels: { version: canary }, weight: ${canary} }
            match:
              - headers: { x-canary: { exact: "always" } }
                subset: canary
        - type: http-resilience
          properties: { timeout: 5s, retries: { attempts: 2, perTryTimeout: 2s } }
        - type: circuit-breaker
          properties:
            connectionPool: { http: { http2MaxRequests: 1000 } }
            outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s }
        - type: mtls
          properties: { mode: ${changed ? "PERMISSIVE" : "STRICT"} }
        - type: jwt-auth
          properties:
            issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json, audiences: [svc-${i}] }]
        - type: access-policy
          properties:
            allow:
              - from: { serviceAccounts: ["istio-system/istio-ingressgateway-service-account"] }
                to: { methods: [GET, POST] }
              - from: { serviceAccounts: ["${namespace}/svc-${(i + 25) % 1000}"] }
                to: { paths: ["/api/*"] }
        - type: egress
          properties: { hosts: [api-${i % 50}.partner.example.net] }
        - type: fault-injection
          properties:
            match: { headers: { x-chaos: { exact: "svc-${i}" } } }
            abort: { httpStatus: 503, percent: 100 }
        - type: sidecar-scope
          properties: { outboundTrafficPolicy: REGISTRY_ONLY }
`;
}

/**
 * `size` Applications, every `changedEvery`-th one changed by the pull request; `files` stand
 * unchanged on both sides.
 */
export function syntheticRepository(
  size: number,
  { changedEvery = 33, files = [] }: { changedEvery?: number; files?: readonly [string, string][] } = {},
): { base: Snapshot; head: Snapshot; changed: string[] } {
  const base = new Map<string, string>(files);
  const head = new Map<string, string>(files);
  const changed: string[] = [];
  for (let i = 0; i < size; i++) {
    const path = `apps/team-${i % 25}/app-${i}.yaml`;
    base.set(path, application(i, false));
    head.set(path, application(i, i % changedEvery === 0));
    if (base.get(path) !== head.get(path)) changed.push(path);
  }
  return { base: { files: base }, head: { files: head }, changed };
}

/**
 * The floor both core benchmarks measure against: parsing and re-serialising, with `yaml`,
 * every distinct manifest text of the two sides (a file the same on both is read once, as the
 * core reads it once).
 */
export function yamlFloor(base: Snapshot, head: Snapshot): { texts: string[]; floor: () => void } {
  const texts = [...new Set([...base.files.values(), ...head.files.values()])];
  return {
    texts,
    floor: () => {
      for (const text of texts) for (const doc of parseAllDocuments(text)) doc.toString();
    },
  };
}

export function benchCore(size: number): CoreBenchFigures {
  const { base, head, changed } = syntheticRepository(size);
  const catalog = readCatalog();
  const { texts, floor } = yamlFloor(base, head);
  const repeat = size >= 5000 ? 3 : 5;

  let verdict: ReturnType<typeof evaluate> | undefined;
  const core = (): void => {
    verdict = evaluate({ base, head, policy: { files: new Map() }, changedFiles: changed, catalog, now: "2026-11-28T00:00:00Z" });
  };
  // Warm both paths once, so neither pays the JIT alone.
  floor();
  core();
  const floorMs = time(floor, repeat);
  const coreMs = time(core, repeat);
  return {
    bench: "core",
    applications: size,
    changed: changed.length,
    bytes: texts.reduce((n, t) => n + t.length, 0),
    floorMs: Math.round(floorMs),
    coreMs: Math.round(coreMs),
    ratio: Math.round((coreMs / floorMs) * 100) / 100,
    findings: verdict?.findings.length ?? 0,
    changes: verdict?.changes.changes.length ?? 0,
    heapMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
  };
}

export function printCoreTable(figures: readonly CoreBenchFigures[]): void {
  console.log("core: evaluate (render both sides, diff, rules on both) vs parse + re-serialise with yaml");
  console.log("applications  changed   floor ms   core ms   ratio  target");
  for (const f of figures) {
    console.log(`${String(f.applications).padStart(12)}  ${String(f.changed).padStart(7)}  ${String(f.floorMs).padStart(9)}  ${String(f.coreMs).padStart(8)}  ${f.ratio.toFixed(2).padStart(6)}  ${f.applications === 1000 ? `≤ ${TARGET_RATIO}` : ""}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "100,1000,5000" } } });
  const figures = values.sizes.split(",").map((s) => benchCore(Number(s)));
  printCoreTable(figures);
  for (const f of figures) console.log(JSON.stringify(f));
}
