import { describe, expect, it } from "vitest";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

describe("mtls trait", () => {
  it("renders a PeerAuthentication STRICT by default, selecting the component's workload", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: mtls") });
    expect(errorsOf(result)).toEqual([]);
    expect(yamlOf(result, "PeerAuthentication")).toMatchInlineSnapshot(`
      "apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata:
        name: frontend
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        selector:
          matchLabels:
            app.oam.dev/name: shop
            app.oam.dev/component: frontend
        mtls:
          mode: STRICT
      "
    `);
    expect(ofKind(result, "PeerAuthentication")[0]?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "mtls" });
  });

  it("renders port-level modes sorted by port", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: mtls
  properties:
    mode: STRICT
    portLevel:
      "9090": DISABLE
      "8080": PERMISSIVE`, { ports: "ports: [{ port: 8080 }, { port: 9090, appProtocol: tcp }]" }),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "PeerAuthentication")[0]?.object.spec).toEqual({
      selector: { matchLabels: { "app.oam.dev/name": "shop", "app.oam.dev/component": "frontend" } },
      mtls: { mode: "STRICT" },
      portLevelMtls: { "8080": { mode: "PERMISSIVE" }, "9090": { mode: "DISABLE" } },
    });
  });

  it("reports a misspelt mode at its line, naming the allowed values", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: mtls\n  properties:\n    mode: STRCT") });
    expect(errorsOf(result)).toEqual([
      { file: "app.yaml", line: 17, severity: "error", message: expect.stringContaining('must be one of "STRICT", "PERMISSIVE", "DISABLE"') as string },
    ]);
    expect(ofKind(result, "PeerAuthentication")).toEqual([]);
  });

  it("reports an unknown property, naming the allowed ones", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: mtls\n  properties:\n    mdoe: STRICT") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[17, expect.stringContaining("unknown key `mdoe`; allowed: mode, portLevel") as string]]);
  });
});
