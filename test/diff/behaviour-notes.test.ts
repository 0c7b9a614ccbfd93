import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { renderFiles } from "../support/render.js";
import { diffFixture, FIXTURES, noteLines, renderSide } from "./diff-fixture.js";

/** Notes between two versions of the same single file. */
function notesBetween(base: string, head: string): string[] {
  return noteLines(diffRenders(renderFiles({ "mesh.yaml": base }), renderFiles({ "mesh.yaml": head })));
}

describe("behavioural notes", () => {
  it("fixtures render without errors on either side", () => {
    for (const name of ["canary-mtls", "mtls-raw", "destination-tls", "resilience", "public-hosts", "authorization", "jwt", "egress", "fault-injection"]) {
      for (const side of ["base", "head"] as const) {
        expect(renderSide(name, side).diagnostics.filter((d) => d.severity === "error"), `${name}/${side}`).toEqual([]);
      }
    }
  });

  it("mTLS weakened at top level and per port says security downgrade, at the mtls trait's line", () => {
    const changeSet = diffFixture("canary-mtls");
    const notes = changeSet.changes.flatMap((c) => c.notes).filter((n) => n.kind === "mtls");
    expect(notes.map((n) => n.message)).toMatchInlineSnapshot(`
      [
        "mTLS for shop/frontend: STRICT → PERMISSIVE (security downgrade) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)",
        "mTLS for shop/frontend port 9090: STRICT → DISABLE (security downgrade: plaintext) — PeerAuthentication shop/frontend, apps/shop/app.yaml:17 (mtls trait)",
      ]
    `);
    expect(notes.map((n) => [n.severity, n.effect, n.source])).toEqual([
      ["high", "weakens", { file: "apps/shop/app.yaml", line: 17, trait: "mtls" }],
      ["high", "weakens", { file: "apps/shop/app.yaml", line: 17, trait: "mtls" }],
    ]);
  });

  it("a canary shift, a removed retry policy and a changed timeout, each at the trait that wrote it", () => {
    const notes = diffFixture("canary-mtls").changes.flatMap((c) => c.notes).filter((n) => n.kind !== "mtls");
    expect(notes.map((n) => `${n.kind}: ${n.message}`)).toMatchInlineSnapshot(`
      [
        "traffic-weight: traffic on route \`default\`: stable 90% → 50%, canary 10% → 50% — VirtualService shop/frontend, apps/shop/app.yaml:22 (traffic-split trait)",
        "retries: retries removed on route \`default\`: Istio's default (2 retries) applies again (was 3 retries, per try timeout 2s) — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)",
        "timeout: timeout on route \`default\`: 5s → 10s — VirtualService shop/frontend, apps/shop/app.yaml:27 (http-resilience trait)",
      ]
    `);
  });

  it("mTLS: a namespace-wide STRICT policy removed, a workload moved to STRICT", () => {
    expect(noteLines(diffFixture("mtls-raw"))).toMatchInlineSnapshot(`
      [
        "high weakens mtls: mTLS for namespace shop: STRICT → inherited (mesh policy, else PERMISSIVE) (security downgrade) — PeerAuthentication shop/default, was at peer-authentication.yaml:2",
        "info strengthens mtls: mTLS for shop/legacy: PERMISSIVE → STRICT (plaintext now rejected) — PeerAuthentication shop/legacy, peer-authentication.yaml:2",
      ]
    `);
  });

  it("DestinationRule TLS: plaintext is a downgrade, a client certificate gained is an upgrade, TLS origination is neutral", () => {
    expect(noteLines(diffFixture("destination-tls"))).toMatchInlineSnapshot(`
      [
        "high weakens destination-tls: TLS to payments.shop.svc.cluster.local: ISTIO_MUTUAL → DISABLE (security downgrade: plaintext) — DestinationRule shop/payments, payments.yaml:1",
        "info strengthens destination-tls: TLS to payments.shop.svc.cluster.local port 8443: SIMPLE → ISTIO_MUTUAL — DestinationRule shop/payments, payments.yaml:1",
        "low neutral destination-tls: TLS to api.stripe.com: auto mTLS (no tls block) → SIMPLE — DestinationRule shop/stripe, payments.yaml:17",
      ]
    `);
  });

  it("retries and timeouts set, changed, disabled", () => {
    expect(noteLines(diffFixture("resilience"))).toMatchInlineSnapshot(`
      [
        "low neutral retries: retries on route \`primary\`: 3 retries, per try timeout 2s → 5 retries, per try timeout 1s, on 5xx — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral timeout: timeout set on route \`primary\`: 3s (was none, Istio's default) — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral retries: retries disabled on route \`fallback\` (was Istio's default of 2 retries) — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral timeout: timeout removed on route \`fallback\`: requests no longer time out, Istio's default (was 1s) — VirtualService shop/ratings, ratings.yaml:1",
      ]
    `);
  });

  it("retries and timeouts removed: Istio's defaults apply again", () => {
    expect(noteLines(diffFixture("resilience", { reverse: true }))).toMatchInlineSnapshot(`
      [
        "low neutral retries: retries on route \`primary\`: 5 retries, per try timeout 1s, on 5xx → 3 retries, per try timeout 2s — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral timeout: timeout removed on route \`primary\`: requests no longer time out, Istio's default (was 3s) — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral retries: retries removed on route \`fallback\`: Istio's default (2 retries) applies again (was disabled (attempts: 0)) — VirtualService shop/ratings, ratings.yaml:1",
        "low neutral timeout: timeout set on route \`fallback\`: 1s (was none, Istio's default) — VirtualService shop/ratings, ratings.yaml:1",
      ]
    `);
  });

  it("public hosts and gateways added", () => {
    expect(noteLines(diffFixture("public-hosts"))).toMatchInlineSnapshot(`
      [
        "low strengthens gateway: gateway legacy/old-gw removed: the hosts it served are no longer reachable through it — Gateway legacy/old-gw, was at gateways.yaml:13",
        "low strengthens public-host: public host old.example.com removed from gateway legacy/old-gw — Gateway legacy/old-gw, was at gateways.yaml:13",
        "high weakens public-host: new public host partner.example.com on gateway partner/partner-gw — Gateway partner/partner-gw, gateways.yaml:13",
        "medium weakens gateway: new gateway partner/partner-gw on gateway workloads istio=ingressgateway (ports 443/HTTPS) — Gateway partner/partner-gw, gateways.yaml:13",
        "high weakens public-host: new public host api.example.com on gateway shop/shop-gw — Gateway shop/shop-gw, gateways.yaml:1",
        "high weakens gateway: routes of shop/admin now bound to gateway shop/shop-gw: hosts admin.shop.svc.cluster.local reachable through it — VirtualService shop/admin, gateways.yaml:37",
        "high weakens public-host: new public host api.example.com through gateway shop/shop-gw — VirtualService shop/storefront, gateways.yaml:25",
      ]
    `);
  });

  it("public hosts and gateways removed", () => {
    expect(noteLines(diffFixture("public-hosts", { reverse: true }))).toMatchInlineSnapshot(`
      [
        "high weakens public-host: new public host old.example.com on gateway legacy/old-gw — Gateway legacy/old-gw, gateways.yaml:13",
        "medium weakens gateway: new gateway legacy/old-gw on gateway workloads istio=ingressgateway (ports 443/HTTPS) — Gateway legacy/old-gw, gateways.yaml:13",
        "low strengthens gateway: gateway partner/partner-gw removed: the hosts it served are no longer reachable through it — Gateway partner/partner-gw, was at gateways.yaml:13",
        "low strengthens public-host: public host partner.example.com removed from gateway partner/partner-gw — Gateway partner/partner-gw, was at gateways.yaml:13",
        "low strengthens public-host: public host api.example.com removed from gateway shop/shop-gw — Gateway shop/shop-gw, gateways.yaml:1",
        "low strengthens gateway: routes of shop/admin no longer bound to gateway shop/shop-gw (hosts admin.shop.svc.cluster.local) — VirtualService shop/admin, gateways.yaml:37",
        "low strengthens public-host: public host api.example.com no longer routed from gateway shop/shop-gw — VirtualService shop/storefront, gateways.yaml:25",
      ]
    `);
  });

  it("authorization widened and narrowed: principals, groups, namespaces, paths, methods; policies added and removed", () => {
    expect(noteLines(diffFixture("authorization"))).toMatchInlineSnapshot(`
      [
        "high weakens authorization: authorization widened for workloads app=catalog in namespace shop: shop/catalog now accepts any request from a mesh caller no rule names, which it rejected — AuthorizationPolicy shop/catalog-allow, was at policies.yaml:35",
        "high weakens authorization: authorization widened for workloads app=frontend in namespace shop: shop/frontend now accepts \`GET /admin/\` from a mesh caller no rule names with a token no rule names (claims groups \`contractors\`), which it rejected — AuthorizationPolicy shop/frontend-allow, policies.yaml:1",
        "high weakens authorization: authorization widened for workloads app=inventory in namespace shop: shop/inventory now accepts \`GET /stock\` from \`cluster.local/ns/shop/sa/default\`, which it rejected — AuthorizationPolicy shop/inventory-allow, policies.yaml:34",
        "high weakens authorization: authorization widened for workloads app=orders in namespace shop: shop/orders now accepts any request from \`cluster.local/ns/batch/sa/default\`, which it rejected — AuthorizationPolicy shop/orders-deny, was at policies.yaml:24",
        "low strengthens authorization: authorization narrowed for workloads app=payments in namespace shop: shop/payments now rejects any request from a mesh caller no rule names, which it accepted — AuthorizationPolicy shop/payments-allow, policies.yaml:24",
        "low strengthens authorization: authorization narrowed for workloads app=reports in namespace shop: shop/reports now rejects \`DELETE /reports/\` from any caller, which it accepted — AuthorizationPolicy shop/reports-allow, policies.yaml:14",
      ]
    `);
  });

  it("authorization, the other way round", () => {
    expect(noteLines(diffFixture("authorization", { reverse: true }))).toMatchInlineSnapshot(`
      [
        "low strengthens authorization: authorization narrowed for workloads app=catalog in namespace shop: shop/catalog now rejects any request from a mesh caller no rule names, which it accepted — AuthorizationPolicy shop/catalog-allow, policies.yaml:35",
        "low strengthens authorization: authorization narrowed for workloads app=frontend in namespace shop: shop/frontend now rejects \`GET /admin/\` from a mesh caller no rule names with a token no rule names (claims groups \`contractors\`), which it accepted — AuthorizationPolicy shop/frontend-allow, policies.yaml:1",
        "low strengthens authorization: authorization narrowed for workloads app=inventory in namespace shop: shop/inventory now rejects \`GET /stock\` from \`cluster.local/ns/shop/sa/default\`, which it accepted — AuthorizationPolicy shop/inventory-allow, policies.yaml:45",
        "low strengthens authorization: authorization narrowed for workloads app=orders in namespace shop: shop/orders now rejects any request from \`cluster.local/ns/batch/sa/default\`, which it accepted — AuthorizationPolicy shop/orders-deny, policies.yaml:24",
        "high weakens authorization: authorization widened for workloads app=payments in namespace shop: shop/payments now accepts any request from a mesh caller no rule names, which it rejected — AuthorizationPolicy shop/payments-allow, was at policies.yaml:24",
        "high weakens authorization: authorization widened for workloads app=reports in namespace shop: shop/reports now accepts \`DELETE /reports/\` from any caller, which it rejected — AuthorizationPolicy shop/reports-allow, policies.yaml:14",
      ]
    `);
  });

  it("JWT requirement removed, an issuer added", () => {
    expect(noteLines(diffFixture("jwt"))).toMatchInlineSnapshot(`
      [
        "high weakens jwt: JWT no longer required for shop/frontend: requests without a token are accepted again (security downgrade) — AuthorizationPolicy shop/frontend-require-jwt, was at jwt.yaml:13",
        "medium weakens jwt: shop/frontend now accepts tokens from issuer https://partner.example.com — RequestAuthentication shop/frontend-jwt, jwt.yaml:1",
      ]
    `);
  });

  it("JWT requirement added, an issuer removed", () => {
    expect(noteLines(diffFixture("jwt", { reverse: true }))).toMatchInlineSnapshot(`
      [
        "low strengthens jwt: JWT now required for shop/frontend: requests without a valid token are denied — AuthorizationPolicy shop/frontend-require-jwt, jwt.yaml:13",
        "low strengthens jwt: shop/frontend no longer accepts tokens from issuer https://partner.example.com: requests carrying them are rejected — RequestAuthentication shop/frontend-jwt, jwt.yaml:1",
      ]
    `);
  });

  it("egress hosts added and removed", () => {
    expect(noteLines(diffFixture("egress"))).toMatchInlineSnapshot(`
      [
        "medium weakens egress: new egress host api.github.com (ports 443/TLS) — ServiceEntry shop/github, service-entries.yaml:13",
        "low strengthens egress: egress host partner.example.net removed — ServiceEntry shop/old-partner, was at service-entries.yaml:13",
        "medium weakens egress: new egress host files.stripe.com (ports 443/TLS) — ServiceEntry shop/stripe, service-entries.yaml:1",
      ]
    `);
  });

  it("fault injection added", () => {
    expect(noteLines(diffFixture("fault-injection"))).toMatchInlineSnapshot(`
      [
        "medium neutral fault-injection: fault injection added on route \`chaos\`, for requests with header \`x-chaos\`: 10% aborted with HTTP 503, 50% delayed by 2s; retries and timeouts do not apply to that route — VirtualService shop/ratings, ratings.yaml:1",
      ]
    `);
  });

  it("fault injection removed", () => {
    expect(noteLines(diffFixture("fault-injection", { reverse: true }))).toMatchInlineSnapshot(`
      [
        "info neutral fault-injection: fault injection removed from route \`chaos\` (was for requests with header \`x-chaos\`: 10% aborted with HTTP 503, 50% delayed by 2s) — VirtualService shop/ratings, ratings.yaml:1",
      ]
    `);
  });

  it("route order: the first matching route wins, so a reorder is a change in behaviour", () => {
    const service = (routes: string[]): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: shop }
spec:
  hosts: [ratings]
  http:
${routes.join("\n")}
`;
    const canary = "    - { name: beta-users, match: [{ headers: { x-beta: { exact: \"1\" } } }], route: [{ destination: { host: ratings, subset: v2 } }] }";
    const all = "    - { name: everyone, route: [{ destination: { host: ratings, subset: v1 } }] }";
    expect(notesBetween(service([canary, all]), service([all, canary]))).toEqual([
      "medium neutral route-order: http routes now match in the order everyone, beta-users (was beta-users, everyone): the first matching route wins — VirtualService shop/ratings, mesh.yaml:1",
    ]);
  });

  it("sidecar egress scope and outbound policy", () => {
    const sidecar = (hosts: string, mode: string): string => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: frontend, namespace: shop }
spec:
  egress: [{ hosts: [${hosts}] }]
  outboundTrafficPolicy: { mode: ${mode} }
`;
    expect(notesBetween(sidecar("./*", "REGISTRY_ONLY"), sidecar("./*, istio-system/*, payments/*", "ALLOW_ANY"))).toEqual([
      "medium weakens egress: workloads of sidecar shop/frontend may now reach istio-system/* — Sidecar shop/frontend, mesh.yaml:1",
      "medium weakens egress: workloads of sidecar shop/frontend may now reach payments/* — Sidecar shop/frontend, mesh.yaml:1",
      "medium weakens egress: outbound traffic of sidecar shop/frontend: REGISTRY_ONLY → ALLOW_ANY: hosts outside the registry are reachable — Sidecar shop/frontend, mesh.yaml:1",
    ]);
  });

  it("has no notes for kinds without a mesh behaviour of their own", () => {
    const base = renderSide("canary-mtls", "base");
    const app = readFileSync(join(FIXTURES, "canary-mtls/base/apps/shop/app.yaml"), "utf8");
    const head = renderFiles({ "apps/shop/app.yaml": app.replace("ghcr.io/acme/frontend:1.4.2", "ghcr.io/acme/frontend:1.5.0") });
    const { changes } = diffRenders(base, head);
    expect(changes.map((c) => [c.kind, c.notes])).toEqual([["Deployment", []]]);
  });
});
