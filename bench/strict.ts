// What strict validation costs a render: raw Istio and Gateway API documents held to the
// vendored CRD schemas (ajv, CEL rules) and to the Gateway API field tree, cold (schemas
// parsed and compiled, in module instances of their own) and warm, against the render of the
// same repository without it, in one run.
//   node --import tsx bench/strict.ts [--files 1000]
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { defaultConfig } from "../src/core/config/config.js";
import { readManifestFile } from "../src/core/manifests/read-manifests.js";
import { RenderMemo } from "../src/core/render/render-memo.js";
import { renderSnapshot } from "../src/core/render/render-snapshot.js";
import type { KubeObject, Snapshot } from "../src/core/types.js";
import { time } from "./measure.js";

export interface StrictBenchFigures {
  bench: "strict";
  files: number;
  documents: number;
  /** The render of the repository (strict validation included, warm), median of runs. */
  renderMs: number;
  /** Strict validation of every raw document, in fresh module instances: schemas parsed and compiled. */
  coldMs: number;
  /** The same again, compiled validators reused (median of runs). */
  warmMs: number;
  /** renderMs − warmMs: the render without strict validation. */
  withoutMs: number;
  coldRatio: number;
  warmRatio: number;
}

/**
 * One team's mesh files: an AuthorizationPolicy, PeerAuthentication, VirtualService,
 * DestinationRule and Istio Gateway, and a Gateway API Gateway and HTTPRoute, as a platform
 * repository keeps them. Deterministic.
 */
export function meshFile(i: number): string {
  const ns = `team-${i % 25}`;
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: svc-${i} } }
  action: ALLOW
  rules:
    - from: [{ source: { principals: ["cluster.local/ns/${ns}/sa/web"] } }]
      to: [{ operation: { methods: [GET, POST], paths: ["/api/*"] } }]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: svc-${i} } }
  mtls: { mode: STRICT }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  hosts: [svc-${i}.${ns}.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /v2 } }]
      route: [{ destination: { host: svc-${i}.${ns}.svc.cluster.local, subset: v2 }, weight: 100 }]
      timeout: 5s
      retries: { attempts: 3, perTryTimeout: 2s }
    - route: [{ destination: { host: svc-${i}.${ns}.svc.cluster.local, subset: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc-${i}, namespace: ${ns} }
spec:
  host: svc-${i}.${ns}.svc.cluster.local
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s } }
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge-${i}, namespace: ${ns} }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      hosts: [svc-${i}.example.com]
      tls: { mode: SIMPLE, credentialName: svc-${i}-cert }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw-${i}, namespace: ${ns} }
spec:
  gatewayClassName: istio
  listeners:
    - name: https
      port: 443
      protocol: HTTPS
      hostname: api-${i}.example.com
      tls: { mode: Terminate, certificateRefs: [{ name: api-${i}-cert }] }
      allowedRoutes: { namespaces: { from: Same } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: route-${i}, namespace: ${ns} }
spec:
  parentRefs: [{ name: gw-${i} }]
  hostnames: [api-${i}.example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-team, value: ${ns} }] } }]
      backendRefs: [{ name: svc-${i}, port: 8080 }]
`;
}

let instance = 0;

export async function benchStrict(files: number): Promise<StrictBenchFigures> {
  const config = defaultConfig();
  const snapshot: Snapshot = { files: new Map(Array.from({ length: files }, (_, i) => [`mesh/team-${i}.yaml`, meshFile(i)])) };
  const objects: KubeObject[] = [...snapshot.files].flatMap(([file, text]) => readManifestFile({ file, text, defaultNamespace: config.defaultNamespace }).raw.map((r) => r.object));

  // Module instances of their own (a query makes a new one): their schemas are not yet parsed or compiled.
  instance++;
  const istio = (await import(`../src/core/strict/validate-strict.js?bench=${instance}`)) as typeof import("../src/core/strict/validate-strict.js");
  const gatewayApi = (await import(`../src/core/strict/validate-gateway-api.js?bench=${instance}`)) as typeof import("../src/core/strict/validate-gateway-api.js");
  const validateAll = (): void => {
    for (const object of objects) {
      if (object.apiVersion.includes(".istio.io/")) istio.validateStrict(object);
      else gatewayApi.gatewayApiUnknownFields(object);
    }
  };
  const coldMs = time(validateAll, 1);
  const warmMs = time(validateAll, 5);

  const render = (): unknown => renderSnapshot(snapshot, config, new RenderMemo());
  render();
  const renderMs = time(render, 5);
  const withoutMs = Math.max(renderMs - warmMs, 1);
  return { bench: "strict", files, documents: objects.length, renderMs: Math.round(renderMs), coldMs: Math.round(coldMs), warmMs: Math.round(warmMs), withoutMs: Math.round(withoutMs), coldRatio: coldMs / withoutMs, warmRatio: warmMs / withoutMs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { files: { type: "string", default: "1000" } } });
  console.log(JSON.stringify(await benchStrict(Number(values.files))));
}
