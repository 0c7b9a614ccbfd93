import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import { deployment } from "./diff-fixture.js";

// Authorization notes judged by the model: each disguised form of "allow more" and its
// narrowed form, a change that is both, one with no effect, scope from the root namespace and
// from targetRefs, and a policy that selects nothing.

const WORKLOADS = [deployment("catalog"), deployment("orders"), deployment("ledger", "finance")].join("---\n");

function policy(params: { name?: string; namespace?: string; selector?: string | null; action?: string; rules: string; targetRefs?: string }): string {
  const { name = "catalog-allow", namespace = "shop", selector = "app: catalog", action = "ALLOW", rules, targetRefs } = params;
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  action: ${action}
${selector !== null ? `  selector: { matchLabels: { ${selector} } }\n` : ""}${targetRefs !== undefined ? `  targetRefs: ${targetRefs}\n` : ""}  rules: ${rules}
`;
}

function notesOf(base: string[], head: string[]): string[] {
  const render = (docs: string[]) => renderSnapshot({ files: new Map([["workloads.yaml", WORKLOADS], ...docs.map((d, i): [string, string] => [`policy-${i}.yaml`, d])]) }, defaultConfig());
  const changes = diffRenders(render(base), render(head));
  return changes.changes.filter((c) => c.kind === "AuthorizationPolicy").flatMap((c) => c.notes.filter((n) => n.kind === "authorization").map((n) => n.message));
}

/** The verdict word of the only authorization note: "widened", "narrowed", "widened and narrowed", or its first words. */
function verdictOf(base: string[], head: string[]): string {
  const notes = notesOf(base, head);
  expect(notes).toHaveLength(1);
  const [note = ""] = notes;
  const match = /^authorization (widened and narrowed|widened|narrowed) for /.exec(note);
  return match?.[1] ?? note.split(":")[0] ?? "";
}

const NS_SHOP = "[{ from: [{ source: { namespaces: [shop] } }] }]";

describe("authorization notes by meaning", () => {
  const patterns: { name: string; narrow: string; wide: string }[] = [
    { name: "paths /*", narrow: `[{ to: [{ operation: { paths: ["/api/*"] } }] }]`, wide: `[{ to: [{ operation: { paths: ["/*"] } }] }]` },
    { name: "principals cluster.local/*", narrow: `[{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }]`, wide: `[{ from: [{ source: { principals: ["cluster.local/*"] } }] }]` },
    { name: "two halves of 0.0.0.0/0", narrow: `[{ from: [{ source: { ipBlocks: ["10.0.0.0/8"] } }] }]`, wide: `[{ from: [{ source: { ipBlocks: ["0.0.0.0/1", "128.0.0.0/1"] } }] }]` },
    { name: "a when wildcard", narrow: `[{ when: [{ key: "request.headers[x-team]", values: [payments] }] }]`, wide: `[{ when: [{ key: "request.headers[x-team]", values: ["*"] }] }]` },
    { name: "methods listed one by one", narrow: `[{ to: [{ operation: { methods: [GET] } }] }]`, wide: `[{ to: [{ operation: { methods: [GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH] } }] }]` },
  ];
  for (const { name, narrow, wide } of patterns) {
    it(`ALLOW ${name}: widened one way, narrowed the other`, () => {
      expect(verdictOf([policy({ rules: narrow })], [policy({ rules: wide })])).toBe("widened");
      expect(verdictOf([policy({ rules: wide })], [policy({ rules: narrow })])).toBe("narrowed");
    });
    it(`DENY ${name}: denying more narrows, denying less widens`, () => {
      expect(verdictOf([policy({ action: "DENY", rules: narrow })], [policy({ action: "DENY", rules: wide })])).toBe("narrowed");
      expect(verdictOf([policy({ action: "DENY", rules: wide })], [policy({ action: "DENY", rules: narrow })])).toBe("widened");
    });
  }

  it("a widened note names a request that really passes now", () => {
    const [note] = notesOf([policy({ rules: `[{ to: [{ operation: { paths: ["/api/*"] } }] }]` })], [policy({ rules: `[{ to: [{ operation: { paths: ["/*"] } }] }]` })]);
    expect(note).toMatch(/shop\/catalog now accepts `GET \(a path no rule names\)` from any caller, which it rejected/);
  });

  it("principals swapped: widened and narrowed at once", () => {
    const web = `[{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }]`;
    const batch = `[{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/batch"] } }] }]`;
    expect(verdictOf([policy({ rules: web })], [policy({ rules: batch })])).toBe("widened and narrowed");
  });

  it("a rewrite that admits the same requests is said to change nothing", () => {
    const whole = `[{ from: [{ source: { ipBlocks: ["0.0.0.0/0"] } }] }]`;
    const halves = `[{ from: [{ source: { ipBlocks: ["0.0.0.0/1", "128.0.0.0/1"] } }] }]`;
    const [note] = notesOf([policy({ rules: whole })], [policy({ rules: halves })]);
    expect(note).toMatch(/^ALLOW policy for .* changed, with no effect on what its workloads accept/);
  });

  it("a root-namespace ALLOW of everything opens every workload of the mesh, and its removal is narrowed mesh-wide", () => {
    const guard = policy({ rules: NS_SHOP });
    const open = policy({ name: "mesh-open", namespace: "istio-system", selector: null, rules: "[{}]" });
    const notes = notesOf([guard], [guard, open]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^authorization widened for every workload in the mesh \(root namespace istio-system\): shop\/catalog .*now accepts/);
    expect(notesOf([guard, open], [guard])[0]).toMatch(/^authorization narrowed for every workload in the mesh/);
  });

  it("a root-namespace DENY reaches workloads of every namespace", () => {
    const deny = policy({ name: "mesh-deny", namespace: "istio-system", selector: null, action: "DENY", rules: `[{ to: [{ operation: { paths: ["/admin/*"] } }] }]` });
    const [note] = notesOf([], [deny]);
    expect(note).toMatch(/^authorization narrowed for every workload in the mesh \(root namespace istio-system\): .*\(and 2 other workloads\) now rejects `GET \/admin\/`/);
  });

  it("a selector dropped from an ALLOW-all widens the whole namespace", () => {
    const guardOrders = policy({ name: "orders-allow", selector: "app: orders", rules: NS_SHOP });
    const allowAll = (selector: string | null) => policy({ name: "catalog-all", selector, rules: "[{}]" });
    const notes = notesOf([guardOrders, allowAll("app: catalog")], [guardOrders, allowAll(null)]);
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatch(/^ALLOW policy now applies to every workload in namespace shop \(was workloads app=catalog in namespace shop\)/);
    expect(notes[0]).toMatch(/^authorization widened for every workload in namespace shop: shop\/orders now accepts/);
  });

  it("targetRefs: compared where the policy points, with the policies bound there", () => {
    const refs = "[{ kind: Gateway, group: gateway.networking.k8s.io, name: public }]";
    const narrow = policy({ name: "edge", selector: null, targetRefs: refs, rules: `[{ to: [{ operation: { paths: ["/api/*"] } }] }]` });
    const wide = policy({ name: "edge", selector: null, targetRefs: refs, rules: `[{ to: [{ operation: { paths: ["/*"] } }] }]` });
    const [note] = notesOf([narrow], [wide]);
    expect(note).toMatch(/^authorization widened for targets Gateway\.gateway\.networking\.k8s\.io\/shop\/public: /);
  });

  it("a policy that selects no workload claims nothing", () => {
    const ghost = (rules: string) => policy({ selector: "app: ghost", action: "DENY", rules });
    const notes = notesOf([ghost(`[{ to: [{ operation: { paths: ["/admin/*"] } }] }]`)], [ghost(`[{ to: [{ operation: { paths: ["/*"] } }] }]`)]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/selects no workload \(workloads app=ghost in namespace shop\): has no effect/);
    expect(notes[0]).not.toMatch(/widened|narrowed/);
  });
});
