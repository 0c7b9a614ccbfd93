import { describe, expect, it } from "vitest";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

const WORKLOAD = { labels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "frontend" } };

describe("sidecar-scope trait", () => {
  it("renders Sidecar C for the component's pods, scoped to its namespace and istio-system by default", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope") });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "Sidecar")).toMatchInlineSnapshot(`
      "apiVersion: networking.istio.io/v1
      kind: Sidecar
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        workloadSelector:
          labels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        egress:
          - hosts:
              - ./*
              - istio-system/*
      "
    `);
    const [sidecar] = ofKind(result, "Sidecar", "frontend");
    // Without outboundTrafficPolicy the mesh-wide setting applies: nothing is written for it.
    expect(sidecar?.object.spec).toEqual({ workloadSelector: WORKLOAD, egress: [{ hosts: ["./*", "istio-system/*"] }] });
    expect(sidecar?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "sidecar-scope" });
  });

  it("renders the given hosts and outbound traffic policy", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: sidecar-scope
  properties:
    egressHosts: ["./*", "payments/api.payments.svc.cluster.local", "istio-system/*"]
    outboundTrafficPolicy: REGISTRY_ONLY`),
    });
    expect(result.diagnostics).toEqual([]);
    expect(ofKind(result, "Sidecar")[0]?.object.spec).toEqual({
      workloadSelector: WORKLOAD,
      egress: [{ hosts: ["./*", "payments/api.payments.svc.cluster.local", "istio-system/*"] }],
      outboundTrafficPolicy: { mode: "REGISTRY_ONLY" },
    });
  });

  it("reports an egress host without a namespace at its line", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope\n  properties:\n    egressHosts:\n      - ./*\n      - api.example.com") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[19, expect.stringContaining("`api.example.com` is not an egress host: write namespace/host") as string]]);
  });

  it("reports an unknown mode, naming the allowed ones", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope\n  properties:\n    outboundTrafficPolicy: DENY") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining('`outboundTrafficPolicy` must be one of "REGISTRY_ONLY", "ALLOW_ANY" (got "DENY")') as string]]);
    expect(ofKind(result, "Sidecar")).toEqual([]);
  });

  it("reports a wrong type, an empty list and an unknown key at their lines", () => {
    const wrongType = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope\n  properties:\n    egressHosts: ./*") });
    expect(errorsOf(wrongType).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining("`egressHosts` must be a list (got string \"./*\")") as string]]);
    const empty = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope\n  properties:\n    egressHosts: []") });
    expect(errorsOf(empty).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining("`egressHosts` must have at least 1 item") as string]]);
    const unknown = renderFiles({ "app.yaml": appWithTraits("- type: sidecar-scope\n  properties:\n    outboundTrafficPolicy: ALLOW_ANY\n    ingress: []") });
    expect(errorsOf(unknown).map((d) => [d.line, d.message])).toEqual([[18, expect.stringContaining("unknown key `ingress`; allowed: egressHosts, outboundTrafficPolicy") as string]]);
  });
});
