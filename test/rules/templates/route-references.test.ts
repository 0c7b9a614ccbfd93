import { describe, expect, it } from "vitest";
import { runRules } from "../../../src/core/rules/run-rules.js";
import { resolveGateway } from "../../../src/core/rules/templates/route-references.js";
import { catalogRules, ruleInput } from "../../support/rules.js";

describe("resolveGateway", () => {
  it.each([
    ["public-gw", "istio-ingress/public-gw"],
    ["./public-gw", "istio-ingress/public-gw"],
    ["edge/public-gw", "edge/public-gw"],
    ["public-gw.edge", "edge/public-gw"],
    ["public-gw.edge.svc.cluster.local", "edge/public-gw"],
  ])("reads %s in namespace istio-ingress as %s, as Istio does", (ref, expected) => {
    expect(resolveGateway(ref, "istio-ingress")).toBe(expected);
  });
});

describe("route-references across resources", () => {
  const rules = catalogRules().filter((r) => r.id === "TRAF-001");
  const destinationRule = (subsets: string[]): string => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets: [${subsets.map((s) => `{ name: ${s}, labels: { version: ${s} } }`).join(", ")}]
`;
  const virtualService = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: { host: reviews, subset: v2 }
`;
  const fingerprints = (head: string): string[] => runRules({ rules, input: ruleInput({ head }), overrides: {} }).map((f) => f.fingerprint);

  it("finds the unchanged VirtualService when a change removes the subset it routes to", () => {
    const base = fingerprints(`${destinationRule(["v1", "v2"])}---\n${virtualService}`);
    const head = fingerprints(`${destinationRule(["v1"])}---\n${virtualService}`);
    expect(base).toEqual([]);
    expect(head).toEqual(["TRAF-001|networking.istio.io/VirtualService/shop/reviews|subset:reviews.shop.svc.cluster.local/v2"]);
  });
});
