import type { Verdict } from "../../src/core/evaluate.js";
import { check, cleanApp, permissiveApp, STRICT_MESH } from "../support/check.js";

const HEAD = "ce587453ced02b1526dfb4cb910479d431683101";
const mesh = { "mesh/defaults.yaml": STRICT_MESH };
/**
 * A pull request that shows every kind of line the check run and comment carry: a new blocking
 * finding, a waived one, a pre-existing one, a new medium one under `failOn: high` (AUTHN-002,
 * lowered by an override), a new low
 * one, a head error and a head warning, an unmet approval, and two mesh changes.
 */
export function failingPullRequest(): Verdict {
  const base = { ...mesh, "apps/catalog.yaml": cleanApp("catalog"), "apps/orders.yaml": permissiveApp("orders"), "apps/billing.yaml": permissiveApp("billing"), "apps/cart.yaml": cleanApp("cart") };
  const cart = cleanApp("cart", `- type: jwt-auth
  properties:
    issuers: [{ issuer: https://auth.example.com, jwksUri: https://auth.example.com/jwks.json }]`).replace("        - type: mtls\n", "        - type: mtls\n          properties: { portLevel: { \"9999\": STRICT } }\n");
  const head = {
    ...base,
    "apps/catalog.yaml": permissiveApp("catalog"),
    "apps/cart.yaml": cart,
    "apps/legacy.yaml": "apiVersion: v1\nkind: Service\nmetadata: { name: legacy, namespace: shop }\nspec:\n  ports:\n    - port: 80\n      name: web\n",
    "apps/broken.yaml": "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: { name: x\n",
  };
  const config = `rules:
  failOn: high
  overrides: { AUTHN-002: { severity: medium } }
waivers:
  - rule: MTLS-002
    resource: { kind: PeerAuthentication, namespace: shop, name: orders }
    justification: legacy importer during migration
    ticket: SEC-7
    expires: 2026-12-31
`;
  return check({
    base,
    head,
    config,
    review: { author: "alice", headSha: HEAD, reviews: [], commits: [{ sha: HEAD, parents: 1, author: "alice", committer: "alice" }], permissions: {}, teams: {} },
  });
}

/** A pull request that changes application code only, in a repository whose mesh already has a finding. */
export function noMeshChanges(): Verdict {
  const files = { ...mesh, "apps/catalog.yaml": cleanApp("catalog"), "apps/billing.yaml": permissiveApp("billing") };
  return check({ base: files, head: files });
}

/** A pull request that changes the mesh cleanly: one added application. */
export function cleanMeshChange(): Verdict {
  const base = { ...mesh, "apps/catalog.yaml": cleanApp("catalog") };
  return check({ base, head: { ...base, "apps/orders.yaml": cleanApp("orders") } });
}
