import { describe, expect, it } from "vitest";
import { runRules } from "../../../src/core/rules/run-rules.js";
import { catalogRules, ruleInput } from "../../support/rules.js";

const rules = catalogRules().filter((r) => r.id.startsWith("TRAF-"));

function app(traits: string): string {
  return `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop, namespace: shop }
spec:
  components:
    - name: frontend
      type: webservice
      properties: { image: ghcr.io/acme/frontend:1.4.2, port: 8080 }
      traits:
${traits}`;
}

const split = `        - type: traffic-split
          properties:
            subsets:
              - { name: stable, labels: { version: v1 }, weight: 90 }
              - { name: canary, labels: { version: v2 }, weight: 5 }
`;
const fault = `        - type: fault-injection
          properties:
            match: { headers: { x-chaos: { exact: "1" } } }
            abort: { httpStatus: 503 }
`;
const timeoutOnly = `        - type: http-resilience
          properties: { timeout: 2s }
`;

function findings(head: string): { rule: string; fingerprint: string; line: number }[] {
  return runRules({ rules, input: ruleInput({ head }), overrides: {} }).map((f) => ({ rule: f.rule, fingerprint: f.fingerprint, line: f.line }));
}

describe("traffic findings", () => {
  it("keep their fingerprints when an unrelated rule is inserted before the route at fault", () => {
    const before = findings(app(split + timeoutOnly));
    const after = findings(app(split + timeoutOnly + fault));
    const fingerprints = (list: { fingerprint: string }[]): string[] => list.map((f) => f.fingerprint);
    expect(fingerprints(before).length).toBeGreaterThan(0);
    // The fault rule is new (its weights are off too, TRAF-002); the default route's findings are unchanged.
    expect(fingerprints(after)).toEqual(expect.arrayContaining(fingerprints(before)));
  });

  it("are annotated at the trait that wrote the field at fault", () => {
    const head = app(split + timeoutOnly);
    const line = (text: string): number => head.split("\n").findIndex((l) => l.includes(text)) + 1;
    const byRule = new Map(findings(head).map((f) => [f.rule, f.line]));
    expect(byRule.get("TRAF-002")).toBe(line("type: traffic-split"));
    // The route sets a timeout and no retries: the finding belongs where the timeout was set.
    expect(byRule.get("TRAF-004")).toBe(line("type: http-resilience"));
  });
});
