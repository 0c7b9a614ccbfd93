import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { reviewsFile } from "../support/reviews-file.js";
import { tempTree } from "../support/temp-tree.js";

/**
 * A pull request that adds one object of a kind meshgate reads: `diff` must list it with the
 * file and line it comes from, and `check --reviews` must ask the security team for it (CHG-002).
 * The base holds the config (security team named) and an unrelated ConfigMap; the head adds the
 * file. Each object is one an API server would accept, so no error diagnostic muddies the result.
 */
const CONFIG = 'defaultNamespace: shop\napprovals:\n  codeOwners: false\n  securityTeam: "@acme/security"\n';
const BASE = { ".github/meshgate.yml": CONFIG, "apps/settings.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: shop }\ndata: { level: info }\n" };

const podSpec = (indent: string, annotations: string): string =>
  `${indent}metadata:\n${indent}  labels: { app: worker }\n${indent}  annotations: ${annotations}\n${indent}spec:\n${indent}  serviceAccountName: worker\n${indent}  containers:\n${indent}    - name: worker\n${indent}      image: ghcr.io/acme/worker:1.0\n${indent}      ports: [{ containerPort: 8080 }]\n`;
const NO_SIDECAR = '{ sidecar.istio.io/inject: "false" }';

interface Case {
  /** How the diff names the object: `Kind namespace/name`. */
  shows: string;
  file: string;
  /** The added file's text; the object starts at `line`. */
  text: string;
  line?: number;
}

const CASES: Case[] = [
  { shows: "EnvoyFilter shop/lua", file: "mesh/envoy-filter.yaml", text: "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: { name: lua, namespace: shop }\nspec:\n  workloadSelector: { labels: { app: frontend } }\n  configPatches:\n    - applyTo: HTTP_FILTER\n      match: { context: SIDECAR_INBOUND }\n      patch:\n        operation: INSERT_BEFORE\n        value: { name: envoy.filters.http.lua }\n" },
  { shows: "WasmPlugin shop/auth", file: "mesh/wasm.yaml", text: "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: { name: auth, namespace: shop }\nspec:\n  selector: { matchLabels: { app: frontend } }\n  url: oci://ghcr.io/acme/auth-filter:1.0\n  phase: AUTHN\n" },
  { shows: "WorkloadEntry shop/vm-1", file: "mesh/vm.yaml", text: "apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: { name: vm-1, namespace: shop }\nspec:\n  address: 10.0.0.7\n  labels: { app: frontend }\n  serviceAccount: frontend\n" },
  { shows: "WorkloadGroup shop/vms", file: "mesh/vm-group.yaml", text: "apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata: { name: vms, namespace: shop }\nspec:\n  metadata: { labels: { app: frontend } }\n  template: { serviceAccount: frontend }\n" },
  { shows: "ProxyConfig shop/threads", file: "mesh/proxy-config.yaml", text: "apiVersion: networking.istio.io/v1beta1\nkind: ProxyConfig\nmetadata: { name: threads, namespace: shop }\nspec:\n  concurrency: 0\n  image: { imageType: debug }\n" },
  { shows: "Telemetry shop/no-logs", file: "mesh/telemetry.yaml", text: "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: { name: no-logs, namespace: shop }\nspec:\n  accessLogging:\n    - disabled: true\n" },
  { shows: "Sidecar shop/default", file: "mesh/sidecar.yaml", text: "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: default, namespace: shop }\nspec:\n  outboundTrafficPolicy: { mode: ALLOW_ANY }\n" },
  { shows: "Gateway shop/edge", file: "gateway-api/gateway.yaml", text: "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: edge, namespace: shop }\nspec:\n  gatewayClassName: istio\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n      allowedRoutes: { namespaces: { from: All } }\n" },
  { shows: "HTTPRoute shop/frontend", file: "gateway-api/http-route.yaml", text: "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: frontend, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n  hostnames: [shop.example.com]\n  rules:\n    - backendRefs: [{ name: frontend, port: 8080 }]\n" },
  { shows: "GRPCRoute shop/catalog", file: "gateway-api/grpc-route.yaml", text: "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: { name: catalog, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n  rules:\n    - backendRefs: [{ name: catalog, port: 9090 }]\n" },
  { shows: "TLSRoute shop/passthrough", file: "gateway-api/tls-route.yaml", text: "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TLSRoute\nmetadata: { name: passthrough, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n  hostnames: [db.example.com]\n  rules:\n    - backendRefs: [{ name: db, port: 5432 }]\n" },
  { shows: "TCPRoute shop/db", file: "gateway-api/tcp-route.yaml", text: "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: { name: db, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n  rules:\n    - backendRefs: [{ name: db, port: 5432 }]\n" },
  { shows: "ReferenceGrant data/from-shop", file: "gateway-api/reference-grant.yaml", text: "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: from-shop, namespace: data }\nspec:\n  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }]\n  to: [{ group: \"\", kind: Service }]\n" },
  { shows: "BackendTLSPolicy shop/db-tls", file: "gateway-api/backend-tls.yaml", text: "apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: { name: db-tls, namespace: shop }\nspec:\n  targetRefs: [{ group: \"\", kind: Service, name: db }]\n  validation:\n    hostname: db.shop.svc.cluster.local\n    wellKnownCACertificates: System\n" },
  { shows: "Ingress shop/public", file: "k8s/ingress.yaml", text: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: public, namespace: shop }\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend: { service: { name: frontend, port: { number: 8080 } } }\n" },
  { shows: "Service shop/frontend-lb", file: "k8s/lb.yaml", text: "apiVersion: v1\nkind: Service\nmetadata: { name: frontend-lb, namespace: shop }\nspec:\n  type: LoadBalancer\n  selector: { app: frontend }\n  ports: [{ port: 443, targetPort: 8080 }]\n" },
  { shows: "Service shop/frontend-np", file: "k8s/node-port.yaml", text: "apiVersion: v1\nkind: Service\nmetadata: { name: frontend-np, namespace: shop }\nspec:\n  type: NodePort\n  selector: { app: frontend }\n  ports: [{ port: 8080, nodePort: 30080 }]\n" },
  { shows: "Service shop/payments", file: "k8s/external-name.yaml", text: "apiVersion: v1\nkind: Service\nmetadata: { name: payments, namespace: shop }\nspec:\n  type: ExternalName\n  externalName: api.payments.example.com\n" },
  { shows: "StatefulSet shop/worker", file: "k8s/stateful-set.yaml", text: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: worker, namespace: shop }\nspec:\n  serviceName: worker\n  selector: { matchLabels: { app: worker } }\n  template:\n${podSpec("    ", NO_SIDECAR)}` },
  { shows: "DaemonSet shop/worker", file: "k8s/daemon-set.yaml", text: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: worker, namespace: shop }\nspec:\n  selector: { matchLabels: { app: worker } }\n  template:\n${podSpec("    ", NO_SIDECAR)}` },
  { shows: "ReplicaSet shop/worker", file: "k8s/replica-set.yaml", text: `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: { name: worker, namespace: shop }\nspec:\n  selector: { matchLabels: { app: worker } }\n  template:\n${podSpec("    ", NO_SIDECAR)}` },
  { shows: "Pod shop/worker", file: "k8s/pod.yaml", text: `apiVersion: v1\nkind: Pod\n${podSpec("", '{ traffic.sidecar.istio.io/excludeOutboundIPRanges: "0.0.0.0/0" }').replace("metadata:\n", "metadata:\n  name: worker\n  namespace: shop\n")}` },
  { shows: "Job shop/migrate", file: "k8s/job.yaml", text: `apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate, namespace: shop }\nspec:\n  template:\n${podSpec("    ", NO_SIDECAR).replace("  containers:", "  restartPolicy: Never\n      containers:")}` },
  { shows: "CronJob shop/report", file: "k8s/cron-job.yaml", text: `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: report, namespace: shop }\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n${podSpec("        ", '{ proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: false }" }').replace("  containers:", "  restartPolicy: Never\n          containers:")}` },
  { shows: "Namespace /legacy", file: "k8s/namespace.yaml", text: "# injection off for the whole namespace\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels: { istio-injection: disabled }\n", line: 2 },
];

/** The ways an Istio object can be written that kubectl still applies: each must be seen. */
const SPELLINGS: Case[] = [
  { shows: "AuthorizationPolicy shop/allow-all", file: "mesh/policies.yaml", line: 4, text: "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: security.istio.io/v1\n    kind: AuthorizationPolicy\n    metadata: { name: allow-all, namespace: shop }\n    spec: { action: ALLOW, rules: [{}] }\n" },
  // A merge key that brings the apiVersion and kind: read as a plain key, the object would vanish.
  { shows: "AuthorizationPolicy shop/allow-all", file: "mesh/merged.yaml", text: "<<: &istio-policy\n  apiVersion: security.istio.io/v1\n  kind: AuthorizationPolicy\nmetadata: { name: allow-all, namespace: shop }\nspec: { action: ALLOW, rules: [{}] }\n" },
  { shows: "AuthorizationPolicy shop/allow-all", file: "mesh/policy.json", text: JSON.stringify({ apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name: "allow-all", namespace: "shop" }, spec: { action: "ALLOW", rules: [{}] } }, null, 2) },
  { shows: "AuthorizationPolicy shop/allow-all", file: ".deploy/.mesh/policy.yaml", text: "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-all, namespace: shop }\nspec: { action: ALLOW, rules: [{}] }\n" },
];

function pullRequest(files: Record<string, string>, config = CONFIG): { base: string; head: string; reviews: string } {
  const base = tempTree({ ...BASE, ".github/meshgate.yml": config });
  const head = tempTree({ ...BASE, ".github/meshgate.yml": config, ...files });
  // One approval, from a developer: the security team has not approved.
  return { base, head, reviews: reviewsFile() };
}

interface CheckJson {
  findings: { rule: string; file: string; line: number }[];
  approvals: { rule: string; status: string; description: string }[];
}

async function expectSeenAndGated(c: Case): Promise<void> {
  const pr = pullRequest({ [c.file]: c.text });
  const diff = await runCli(["diff", "--base", pr.base, "--head", pr.head]);
  expect(diff.code).toBe(0);
  expect(diff.stdout).not.toContain("No changes");
  expect(diff.stdout).toContain(`+ ${c.shows} — ${c.file}:${c.line ?? 1}`);
  expect(diff.stderr.split("\n").filter((l) => l.includes(": error: "))).toEqual([]);

  const check = await runCli(["check", "--base", pr.base, "--head", pr.head, "--reviews", pr.reviews, "--format", "json", "--now", "2026-11-28T12:00:00Z"]);
  const output = JSON.parse(check.stdout) as CheckJson;
  const security = output.approvals.filter((a) => a.rule === "CHG-002" && a.description.includes("@acme/security"));
  expect(security.map((a) => a.status)).toEqual(["pending"]);
  expect(security[0]?.description).toContain(c.shows.split(" ")[0]);
}

describe("a pull request adding a kind meshgate reads", () => {
  it.each(CASES.map((c) => [c.shows, c] as const))("%s: shows in diff at its file:line and needs the security team", async (_, c) => {
    await expectSeenAndGated(c);
  });
});

describe("an Istio object however kubectl would find it", () => {
  it.each(SPELLINGS.map((c) => [c.file, c] as const))("%s: seen, at its line, and gated", async (_, c) => {
    await expectSeenAndGated(c);
  });

  it("in an excluded path: a SCOPE-001 finding naming the file, never a silent pass", async () => {
    const config = `${CONFIG}manifests:\n  exclude: ["vendor/**"]\n`;
    const pr = pullRequest({ "vendor/policy.yaml": SPELLINGS[3]?.text ?? "" }, config);
    const check = await runCli(["check", "--base", pr.base, "--head", pr.head, "--format", "json", "--now", "2026-11-28T12:00:00Z"]);
    expect(check.code).toBe(1);
    const output = JSON.parse(check.stdout) as CheckJson;
    expect(output.findings.filter((f) => f.rule === "SCOPE-001").map((f) => `${f.file}:${f.line}`)).toEqual(["vendor/policy.yaml:1"]);
  });
});
