import type { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { evaluate, type EvaluationInputs, type Verdict } from "../../src/core/evaluate.js";
import { readCatalog } from "../../src/cli/read-catalog.js";

const catalog = readCatalog();

/** Evaluates a change given as file maps (path → text), with the real catalog. */
export function check(params: {
  base: Record<string, string>;
  head: Record<string, string>;
  config?: string;
  headConfig?: string;
  now?: string;
  review?: EvaluationInputs["review"];
  policyFiles?: Record<string, string>;
  evaluations?: DefinitionEvaluations;
}): Verdict {
  const changedFiles = [...new Set([...Object.keys(params.base), ...Object.keys(params.head)])].filter((p) => params.base[p] !== params.head[p]);
  return evaluate({
    base: { files: new Map(Object.entries(params.base)) },
    head: { files: new Map(Object.entries(params.head)) },
    policy: { ...(params.config !== undefined ? { config: params.config } : {}), files: new Map(Object.entries(params.policyFiles ?? {})) },
    ...(params.headConfig !== undefined ? { headConfig: params.headConfig } : {}),
    changedFiles,
    catalog,
    now: params.now ?? "2026-11-28T12:00:00Z",
    ...(params.review ? { review: params.review } : {}),
  }, params.evaluations ? { evaluations: params.evaluations } : {});
}

/** An Application in the style meshgate recommends: what the traits render by default, well configured. */
export function cleanApp(name: string, extraTraits = ""): string {
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: ${name}
  namespace: shop
spec:
  components:
    - name: ${name}
      type: webservice
      properties:
        image: ghcr.io/acme/${name}:1.0.0
        ports:
          - port: 8080
      traits:
        - type: mtls
        - type: access-policy
          properties:
            allow:
              - from: { serviceAccounts: ["shop/frontend"] }
                to: { methods: [GET] }
        - type: http-resilience
          properties:
            timeout: 5s
            retries: { attempts: 2, perTryTimeout: 2s }
${extraTraits.replace(/^/gm, "        ").trimEnd()}
`;
}

/** `cleanApp` with its mtls trait in PERMISSIVE mode, which accepts plaintext. */
export function permissiveApp(name: string): string {
  return cleanApp(name).replace("        - type: mtls\n", "        - type: mtls\n          properties: { mode: PERMISSIVE }\n");
}

export const STRICT_MESH = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
`;

export function findingsOf(verdict: Verdict, rule: string): { status: string; blocking: boolean; resource: string }[] {
  return verdict.findings
    .filter((f) => f.rule === rule)
    .map((f) => ({ status: f.status, blocking: f.blocking, resource: f.resource ? `${f.resource.kind} ${f.resource.namespace}/${f.resource.name}` : "config" }));
}
