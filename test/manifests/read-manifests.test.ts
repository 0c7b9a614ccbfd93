import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { appWithTraits, errorsOf, renderFiles } from "../support/render.js";

const virtualService = (name: string, extra = ""): string => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
spec:
  hosts: [${name}.shop.svc.cluster.local]
  http:
    - route:
        - destination: { host: ${name}.shop.svc.cluster.local }${extra}
`;

describe("discovery", () => {
  it("reads only the files the include/exclude globs select", () => {
    const files = { "apps/a.yaml": virtualService("a"), "apps/b.yml": virtualService("b"), "charts/c.yaml": virtualService("c"), "notes.txt": virtualService("d") };
    const config = { ...defaultConfig(), manifests: { include: ["**/*.yaml", "**/*.yml"], exclude: ["charts/**"] } };
    expect(renderFiles(files, config).resources.map((r) => r.object.metadata.name)).toEqual(["a", "b"]);
  });

  it("never reads vendored dependencies as manifests, whatever the globs say", () => {
    const files = { "apps/a.yaml": virtualService("a"), "node_modules/pkg/vs.yaml": virtualService("b"), "tools/node_modules/x.yaml": virtualService("c") };
    expect(renderFiles(files).resources.map((r) => r.object.metadata.name)).toEqual(["a"]);
  });

  it("ignores documents that are neither OAM Applications nor Istio, silently", () => {
    const result = renderFiles({
      ".github/workflows/ci.yml": "on: push\njobs: {}\n",
      "k8s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n---\n- just\n- a list\n---\nplain scalar\n---\n",
      "defs.yaml": "apiVersion: core.oam.dev/v1beta1\nkind: WorkflowStepDefinition\nmetadata: { name: myingress }\n",
    });
    expect(result).toEqual({ resources: [], diagnostics: [] });
  });

  it("keeps raw Istio documents as they are, in the default namespace when they name none", () => {
    const result = renderFiles({ "istio/vs.yaml": `# comment\n${virtualService("cart")}` });
    expect(result.diagnostics).toEqual([]);
    expect(result.resources).toEqual([
      {
        object: {
          apiVersion: "networking.istio.io/v1",
          kind: "VirtualService",
          metadata: { name: "cart", namespace: "default" },
          spec: { hosts: ["cart.shop.svc.cluster.local"], http: [{ route: [{ destination: { host: "cart.shop.svc.cluster.local" } }] }] },
        },
        source: { file: "istio/vs.yaml", line: 2 },
      },
    ]);
  });

  it("reads raw Services as resources, with their file as provenance", () => {
    const result = renderFiles({ "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: { name: db, namespace: data }\nspec: { ports: [{ port: 5432 }] }\n" });
    expect(result.resources.map((r) => [r.object.kind, `${r.object.metadata.namespace ?? ""}/${r.object.metadata.name}`, r.source])).toEqual([["Service", "data/db", { file: "svc.yaml", line: 1 }]]);
  });
});

describe("bad input is a diagnostic with file and line, and the rest still renders", () => {
  it("malformed YAML", () => {
    const result = renderFiles({ "bad.yaml": "apiVersion: v1\nkind: [Service\nmetadata: x\n", "good.yaml": virtualService("cart") });
    expect(errorsOf(result)).toEqual([{ file: "bad.yaml", line: expect.any(Number) as number, severity: "error", message: expect.stringMatching(/^YAML syntax error: /) as string }]);
    expect(errorsOf(result)[0]?.line).toBeGreaterThanOrEqual(2);
    expect(result.resources.map((r) => r.object.metadata.name)).toEqual(["cart"]);
  });

  it("one broken document of a multi-document file leaves the others", () => {
    const result = renderFiles({ "multi.yaml": `${virtualService("a")}---\nkey: [unclosed\n---\n${virtualService("b")}` });
    expect(errorsOf(result).map((d) => d.file)).toEqual(["multi.yaml"]);
    expect(result.resources.map((r) => r.object.metadata.name)).toEqual(["a", "b"]);
  });

  it("duplicate keys", () => {
    const result = renderFiles({ "dup.yaml": "apiVersion: networking.istio.io/v1\nkind: Gateway\nkind: VirtualService\nmetadata: { name: x }\n" });
    expect(errorsOf(result).map((d) => [d.file, d.line])).toEqual([["dup.yaml", 3]]);
  });

  it("random bytes", () => {
    const result = renderFiles({ "blob.yaml": "apiVersion: v1\nkind: x\n\u0000\u0001\u00ff" });
    expect(result.diagnostics).toEqual([{ file: "blob.yaml", line: 3, severity: "error", message: expect.stringContaining("not a text file") as string }]);
  });

  it("an alias bomb", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) bomb.push(`${"abcdefghijklmnop"[i] ?? "z"}: &${"abcdefghijklmnop"[i] ?? "z"} [*${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}, *${"abcdefghijklmnop"[i - 1] ?? "z"}]`);
    const result = renderFiles({ "bomb.yaml": `${bomb.join("\n")}\n` });
    expect(errorsOf(result).map((d) => d.file)).toEqual(["bomb.yaml"]);
  });

  it("an invalid Application points at the bad node", () => {
    const result = renderFiles({
      "app.yaml": `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: Shop
spec:
  components:
    - name: frontend
      traits: {}
`,
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [4, 'invalid Application: `metadata.name` "Shop" is not in the expected form (pattern ^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$)'],
      [7, "invalid Application: missing required key `type` in `spec.components.0`"],
      [8, "invalid Application: `spec.components.0.traits` must be a list (got a mapping)"],
    ]);
  });

  it("a legacy v1alpha2 object is reported as an unsupported OAM version", () => {
    const result = renderFiles({ "legacy.yaml": "apiVersion: core.oam.dev/v1alpha2\nkind: ApplicationConfiguration\nmetadata: { name: x }\n" });
    expect(result.diagnostics).toEqual([
      { file: "legacy.yaml", line: 1, severity: "warning", message: expect.stringContaining("unsupported OAM version core.oam.dev/v1alpha2 (ApplicationConfiguration)") as string },
    ]);
  });

  it("an unknown trait is a notice, and the known ones still render", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: patch-loadbalancer\n  properties: { replicas: 3 }\n- type: mtls") });
    expect(result.diagnostics).toEqual([
      { file: "app.yaml", line: 15, severity: "notice", message: "shop/frontend: trait `patch-loadbalancer` has no mesh effect known to meshgate: skipped" },
    ]);
    expect(result.resources.map((r) => r.object.kind)).toContain("PeerAuthentication");
  });

  it("a trait given twice is an error naming both lines", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: mtls\n- type: mtls\n  properties: { mode: PERMISSIVE }") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[16, "shop/frontend: trait `mtls` is given twice (lines 15 and 16): merge them into one"]]);
  });

  it("a raw Istio document that Istio would reject is reported at the field, and stays in the set", () => {
    const result = renderFiles({ "vs.yaml": virtualService("cart", "\n          weight: ten") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [10, "VirtualService default/cart is not valid networking.istio.io/v1: `spec.http.0.route.0.weight` must be an integer (got string \"ten\")"],
    ]);
    expect(result.resources).toHaveLength(1);
  });

  it("an Istio apiVersion that Istio does not serve", () => {
    const result = renderFiles({ "vs.yaml": virtualService("cart").replace("networking.istio.io/v1", "networking.istio.io/v2") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[1, "VirtualService default/cart: Istio serves no VirtualService at networking.istio.io/v2 (served: v1alpha3, v1beta1, v1)"]]);
  });

  it("a raw Istio document without a name", () => {
    const result = renderFiles({ "vs.yaml": "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  namespace: x\n" });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[3, "Gateway has no metadata.name: Kubernetes rejects it"]]);
  });

  it("any YAML-shaped garbage gives diagnostics, never an exception", () => {
    const tokens = ["apiVersion: core.oam.dev/v1beta1", "kind: Application", "networking.istio.io/v1", "VirtualService", "metadata:", "name:", "spec:", "components:", "traits:", "type:", "mtls", "traffic-split", "mesh-ingress", "properties:", "- ", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "'", '"', "\n", "\n  ", "\n    ", "\n---\n", "#", "~", "null", "0x1F", "1e9", "-1", "weight", "subsets", "hosts"];
    let state = 42;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    for (let i = 0; i < 300; i++) {
      let text = "";
      for (let j = 0; j < 40; j++) text += tokens[next(tokens.length)] ?? "";
      expect(() => renderFiles({ "fuzz.yaml": text })).not.toThrow();
    }
  });

  it("any byte sequence gives diagnostics, never an exception", () => {
    for (let seed = 0; seed < 200; seed++) {
      const bytes = randomBytes(64 + seed * 7);
      const text = seed % 2 === 0 ? bytes.toString("latin1") : new TextDecoder().decode(bytes);
      expect(() => renderFiles({ "fuzz.yaml": text, "fuzz2.yaml": `apiVersion: core.oam.dev/v1beta1\nkind: Application\n${text}` })).not.toThrow();
    }
  });
});

describe("identity", () => {
  it("two sources rendering one identity are an error naming both, and the first is kept", () => {
    const app = appWithTraits("- type: traffic-split\n  properties:\n    subsets: [{ name: v1, labels: { version: v1 }, weight: 100 }]");
    const raw = virtualService("frontend").replace("metadata:\n", "metadata:\n  namespace: shop\n");
    const result = renderFiles({ "a-app.yaml": app, "b-raw.yaml": raw });
    expect(errorsOf(result)).toEqual([
      { file: "b-raw.yaml", line: 1, severity: "error", message: "VirtualService shop/frontend is also rendered by shop/frontend (trait traffic-split) at a-app.yaml:15: two sources for one resource conflict; rename one" },
    ]);
    expect(result.resources.filter((r) => r.object.kind === "VirtualService").map((r) => r.source.file)).toEqual(["a-app.yaml"]);
  });

  it("the group, not the version, makes the identity", () => {
    const result = renderFiles({ "a.yaml": virtualService("x"), "b.yaml": virtualService("x").replace("networking.istio.io/v1", "networking.istio.io/v1beta1") });
    expect(errorsOf(result).map((d) => d.file)).toEqual(["b.yaml"]);
  });
});

describe("determinism", () => {
  it("renders byte-identical output whatever the order of files and runs", () => {
    const files: Record<string, string> = {
      "z.yaml": appWithTraits("- type: mtls\n- type: http-resilience\n  properties: { timeout: 5s }", { name: "zeta" }),
      "a.yaml": appWithTraits("- type: traffic-split\n  properties:\n    subsets: [{ name: v1, labels: { version: v1 }, weight: 90 }, { name: v2, labels: { version: v2 }, weight: 10 }]"),
      "m.yaml": virtualService("cart"),
    };
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const first = JSON.stringify(renderFiles(files));
    expect(JSON.stringify(renderFiles(files))).toBe(first);
    expect(JSON.stringify(renderFiles(reversed))).toBe(first);
    const kinds = renderFiles(files).resources.map((r) => `${r.object.kind}/${r.object.metadata.namespace ?? ""}/${r.object.metadata.name}`);
    expect(kinds).toEqual([...kinds].sort());
  });
});

