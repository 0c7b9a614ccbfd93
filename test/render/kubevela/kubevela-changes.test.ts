import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FIXTURES, renderSide } from "../../diff/diff-fixture.js";
import { diffText } from "../../../src/report/diff-text.js";
import { check } from "../../support/check.js";

const HEAD = "9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6";

function side(name: string, which: "base" | "head"): Record<string, string> {
  const root = join(FIXTURES, name, which);
  return Object.fromEntries(readdirSync(root).map((file) => [file, readFileSync(join(root, file), "utf8")]));
}

/**
 * A pull request by alice that maria (not of the security team) approved: it passes unless a
 * blocking finding fires or a security-relevant mesh change wants the security team (CHG-002).
 */
function pullRequest(name: string) {
  return check({
    base: side(name, "base"),
    head: side(name, "head"),
    config: "approvals:\n  codeOwners: false\n  minimum: 1\n  securityTeam: \"@acme/security\"\n",
    review: {
      author: "alice",
      headSha: HEAD,
      reviews: [{ reviewer: "maria", state: "APPROVED", commitId: HEAD, submittedAt: "2026-11-28T11:00:00Z" }],
      commits: [{ sha: HEAD, parents: 1, author: "alice", committer: "alice" }],
      permissions: { maria: "write", sam: "write" },
      teams: { "acme/security": ["sam"] },
    },
  });
}

/** `severity effect kind: message` of every note, and what fails: blocking findings and unmet approvals. */
function outcome(name: string): { conclusion: string; notes: string[]; failing: string[] } {
  const verdict = pullRequest(name);
  return {
    conclusion: verdict.conclusion,
    notes: verdict.changes.changes.flatMap((c) => c.notes.map((n) => `${n.severity} ${n.effect} ${n.kind}: ${n.message}`)),
    failing: [
      ...verdict.findings.filter((f) => f.blocking).map((f) => `${f.rule} ${f.message}`),
      ...(verdict.approvals?.requirements ?? []).filter((r) => r.status !== "satisfied").map((r) => `${r.rule} ${r.subject}`),
    ],
  };
}

const NAMES = ["kubevela-istio-gateway-wildcard", "kubevela-route-widened", "kubevela-canary-weights", "kubevela-production-mtls", "kubevela-gateway-no-tls", "kubevela-expose-loadbalancer"];

describe("KubeVela pull requests, base and head", () => {
  it("fixtures render without errors on either side", () => {
    for (const name of NAMES) {
      for (const which of ["base", "head"] as const) {
        expect(renderSide(name, which).diagnostics.filter((d) => d.severity === "error"), `${name}/${which}`).toEqual([]);
      }
    }
  });

  it("an istio-gateway added on *: a plaintext public wildcard gateway, EDGE-001 and EDGE-003 fire", () => {
    expect(outcome("kubevela-istio-gateway-wildcard")).toEqual({
      conclusion: "failure",
      notes: [
        "high weakens public-host: new public host * on gateway bookinfo/productpage — Gateway bookinfo/productpage, app.yaml:14 (istio-gateway trait)",
        "medium weakens gateway: new gateway bookinfo/productpage on gateway workloads istio=ingressgateway (ports 80/HTTP) — Gateway bookinfo/productpage, app.yaml:14 (istio-gateway trait)",
        "high weakens gateway: routes of bookinfo/productpage now bound to gateway bookinfo/productpage: hosts * reachable through it — VirtualService bookinfo/productpage, app.yaml:14 (istio-gateway trait)",
      ],
      failing: [
        "EDGE-001 Gateway server 80/http (HTTP, plaintext) lacks tls.httpsRedirect: true.",
        "EDGE-003 Gateway host * accepts every host name (allowed gateway hosts: none).",
        "EDGE-006 bookinfo/productpage is reachable from gateway productpage (VirtualService bookinfo/productpage routes to productpage), but no ALLOW AuthorizationPolicy and no JWT requirement applies to it.",
        "CHG-002 security-relevant change (Gateway bookinfo/productpage, VirtualService bookinfo/productpage)",
      ],
    });
  });

  it("an istio-gateway route widened to prefix /: every path is reachable, the security team must approve", () => {
    expect(outcome("kubevela-route-widened")).toEqual({
      conclusion: "failure",
      notes: ["high weakens route-match: gateway route 0 of bookinfo/productpage matches prefix / (was exact /productpage, prefix /static): every path of its hosts is now reachable from the gateway — VirtualService bookinfo/productpage, app.yaml:14 (istio-gateway trait)"],
      failing: ["CHG-002 security-relevant change (VirtualService bookinfo/productpage)"],
    });
  });

  it("canary weights moved in the workflow: noted per step, not a weakening, passes", () => {
    expect(outcome("kubevela-canary-weights")).toEqual({
      conclusion: "success",
      notes: ["low neutral traffic-weight: step rollout-1st-batch: traffic on http route 0: reviews-v1 90% → 10%, reviews-v2 10% → 90% — VirtualService bookinfo/reviews, app.yaml:19 (workflow step rollout-1st-batch)"],
      failing: [],
    });
  });

  it("an override that relaxes mTLS in production only: production only, MTLS-002 fires there", () => {
    expect(outcome("kubevela-production-mtls")).toEqual({
      conclusion: "failure",
      notes: ["high weakens mtls: mTLS for bookinfo/reviews: STRICT → PERMISSIVE (security downgrade) — PeerAuthentication bookinfo/reviews in production only, app.yaml:33 (mtls trait)"],
      failing: [
        "MTLS-002 mTLS mode PERMISSIVE for all ports: the selected workloads accept plaintext connections in production.",
        "CHG-002 security-relevant change (PeerAuthentication bookinfo/reviews)",
      ],
    });
  });

  it("a gateway trait with class istio and no TLS: a public host served in plaintext by Istio's ingress", () => {
    expect(outcome("kubevela-gateway-no-tls")).toEqual({
      conclusion: "failure",
      notes: [
        "high weakens public-host: new public host bookinfo.example.com on Ingress bookinfo/productpage, served by Istio's ingress gateway — Ingress bookinfo/productpage, app.yaml:14 (gateway trait)",
        "high weakens ingress: Ingress bookinfo/productpage serves bookinfo.example.com in plaintext: no `tls` for it (a KubeVela gateway trait needs `secretName`) — Ingress bookinfo/productpage, app.yaml:14 (gateway trait)",
        "low neutral protocol-sniffing: Service bookinfo/productpage port 9080 (port-9080) declares no protocol: Istio sniffs it, so HTTP routes, retries and policies act on a guess — Service bookinfo/productpage, app.yaml:14 (gateway trait)",
      ],
      failing: [
        "EDGE-001 Gateway server Ingress host bookinfo.example.com (HTTP, plaintext) lacks a spec.tls entry for the host.",
        "CHG-002 security-relevant change (Ingress bookinfo/productpage)",
      ],
    });
  });

  it("an expose of type LoadBalancer: reachable around the ingress gateway", () => {
    expect(outcome("kubevela-expose-loadbalancer")).toEqual({
      conclusion: "failure",
      notes: ["high weakens service-exposure: Service bookinfo/productpage is now type LoadBalancer (was ClusterIP): a cloud load balancer reaches it from outside the cluster, around the ingress gateway, and mesh ingress policies do not apply to that path — Service bookinfo/productpage, app.yaml:14 (expose trait)"],
      failing: [
        "EDGE-008 Service bookinfo/productpage (type LoadBalancer) exposes Deployment bookinfo/productpage around the ingress gateway",
        "CHG-002 security-relevant change (Service bookinfo/productpage)",
      ],
    });
  });
});

describe("examples/kubevela", () => {
  const example = (which: "base" | "pr"): Record<string, string> => {
    const root = fileURLToPath(new URL(`../../../examples/kubevela/${which}`, import.meta.url));
    return Object.fromEntries(readdirSync(root).map((file) => [file, readFileSync(join(root, file), "utf8")]));
  };

  it("the pull request fails on the production-only mTLS downgrade and notes the canary step in both environments", () => {
    const verdict = check({ base: example("base"), head: example("pr") });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings.filter((f) => f.blocking).map((f) => `${f.rule} ${f.resource?.namespace ?? ""}/${f.resource?.name ?? ""}`)).toEqual(["MTLS-002 bookinfo/reviews"]);
    expect(verdict.changes.changes.flatMap((c) => c.notes.map((n) => `${n.environment ?? ""}: ${n.message.split(" — ")[0] ?? ""}`))).toEqual([
      "production: mTLS for bookinfo/reviews: STRICT → PERMISSIVE (security downgrade)",
      "production: step rollout-1st-batch: traffic on http route 0: reviews-v1 90% → 50%, reviews-v2 10% → 50%",
      "staging: step rollout-1st-batch: traffic on http route 0: reviews-v1 90% → 50%, reviews-v2 10% → 50%",
    ]);
  });

  it("the diff lists each changed resource with its environment and step", () => {
    const text = diffText(check({ base: example("base"), head: example("pr") }).changes);
    expect(text.split("\n").filter((l) => l.startsWith("  ~ "))).toEqual([
      "  ~ PeerAuthentication bookinfo/reviews in production — bookinfo.yaml:58",
      "  ~ VirtualService bookinfo/reviews in production (step rollout-1st-batch) — bookinfo.yaml:17",
      "  ~ VirtualService bookinfo-staging/reviews in staging (step rollout-1st-batch) — bookinfo.yaml:17",
    ]);
  });
});
