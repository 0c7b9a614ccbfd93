import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { renderManifestFile, type FileRender } from "../../src/core/render/render.js";
import { RenderMemo, settingsKey } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import type { Snapshot } from "../../src/core/types.js";
import { appWithTraits } from "../support/render.js";

const config = defaultConfig();
const settings = settingsKey(config);

const snapshot = (files: Record<string, string>): Snapshot => ({ files: new Map(Object.entries(files)) });

const MTLS = appWithTraits("- type: mtls");
const PERMISSIVE = appWithTraits("- type: mtls\n  properties: { mode: PERMISSIVE }");
const INGRESS = (name: string): string => appWithTraits("- type: mesh-ingress\n  properties: { hosts: [shop.example.com], tls: { credentialName: shop-cert } }", { name });
const RAW_VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: frontend, namespace: shop }
spec: { hosts: [frontend], http: [{ route: [{ destination: { host: frontend } }] }] }
`;

/** A memo whose renders are counted, by path. */
function countingMemo(maxBytes?: number): { memo: RenderMemo; renderOf: (file: string, text: string) => FileRender; renders: Map<string, number> } {
  const memo = new RenderMemo(maxBytes === undefined ? {} : { maxBytes });
  const renders = new Map<string, number>();
  const renderOf = (file: string, text: string): FileRender =>
    memo.renderOf({
      settings,
      file,
      text,
      render: () => {
        renders.set(file, (renders.get(file) ?? 0) + 1);
        return renderManifestFile({ file, text, config });
      },
    });
  return { memo, renderOf, renders };
}

describe("RenderMemo", () => {
  it("never changes a result: revisions rendered through one memo equal their renders without it, conflicts across files included", () => {
    const base = snapshot({ "a.yaml": MTLS, "b.yaml": INGRESS("admin"), "c.yaml": RAW_VS });
    // Head: a changes, a second ingress claims b's host, and a copy of c renders c's VirtualService again.
    const head = snapshot({ "a.yaml": PERMISSIVE, "b.yaml": INGRESS("admin"), "b2.yaml": INGRESS("storefront"), "c.yaml": RAW_VS, "d.yaml": RAW_VS });
    const memo = new RenderMemo();
    const shared = [renderSnapshot(base, config, memo), renderSnapshot(head, config, memo), renderSnapshot(base, config, memo)];
    expect(shared.map((r) => JSON.stringify(r))).toEqual([base, head, base].map((s) => JSON.stringify(renderSnapshot(s, config))));
    // The head's conflicts are decided across files, whichever were memoised.
    expect(shared[1]?.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}`)).toEqual(["b2.yaml:15", "d.yaml:1"]);
  });

  it("renders a file that is the same on both sides once, and a changed file once per version", () => {
    const { renderOf, renders, memo } = countingMemo();
    for (const [file, text] of [["a.yaml", MTLS], ["b.yaml", INGRESS("admin")], ["a.yaml", PERMISSIVE], ["b.yaml", INGRESS("admin")], ["a.yaml", MTLS]] as const) renderOf(file, text);
    expect(Object.fromEntries(renders)).toEqual({ "a.yaml": 2, "b.yaml": 1 });
    expect(memo.size).toBe(3);
  });

  it("keys renders by their settings: another default namespace or mesh renders anew", () => {
    const memo = new RenderMemo();
    const raw = RAW_VS.replace("namespace: shop", "labels: {}");
    const namespaces = ["default", "platform", "default"].map((defaultNamespace) => {
      const render = renderSnapshot(snapshot({ "vs.yaml": raw }), { ...config, defaultNamespace }, memo);
      return render.resources.map((r) => r.object.metadata.namespace);
    });
    expect(namespaces).toEqual([["default"], ["platform"], ["default"]]);
    expect(memo.size).toBe(2);
    expect(settingsKey({ ...config, mesh: { ...config.mesh, clusterDomain: "corp.local" } })).not.toBe(settings);
  });

  it("hands out frozen renders, so that no stage can alter what the next evaluation reads", () => {
    const memo = new RenderMemo();
    const render = renderSnapshot(snapshot({ "a.yaml": MTLS }), config, memo);
    const resource = render.resources.find((r) => r.object.kind === "PeerAuthentication");
    expect(resource).toBeDefined();
    expect(() => {
      (resource?.object.metadata as { name: string }).name = "changed";
    }).toThrow(TypeError);
    expect(renderSnapshot(snapshot({ "a.yaml": MTLS }), config, memo).resources.find((r) => r.object.kind === "PeerAuthentication")?.object.metadata.name).toBe("frontend");
  });

  it("keeps four versions of a path: the base's and a few heads'", () => {
    const { renderOf, renders, memo } = countingMemo();
    const versions = [1, 2, 3, 4, 5].map((n) => appWithTraits(`- type: http-resilience\n  properties: { timeout: ${n}s }`));
    for (const text of versions) renderOf("a.yaml", text);
    expect(memo.size).toBe(4);
    renderOf("a.yaml", versions[1] ?? "");
    renderOf("a.yaml", versions[0] ?? "");
    // The second version was held, the first, the oldest, was not.
    expect(renders.get("a.yaml")).toBe(6);
  });

  it("trimmed, comes within its memory bound, evicting the least recently used path first", () => {
    const one = countingMemo();
    one.renderOf("x.yaml", MTLS);
    const weight = one.memo.bytes;
    const { renderOf, renders, memo } = countingMemo(weight * 3);
    for (const file of ["a.yaml", "b.yaml", "c.yaml", "a.yaml", "d.yaml"]) renderOf(file, MTLS);
    expect(memo.size).toBe(4);
    memo.trim();
    expect({ size: memo.size, bytes: memo.bytes }).toEqual({ size: 3, bytes: weight * 3 });
    // b was the least recently used: it is rendered again; a, used since, is not.
    renderOf("a.yaml", MTLS);
    renderOf("b.yaml", MTLS);
    expect(Object.fromEntries(renders)).toEqual({ "a.yaml": 1, "b.yaml": 2, "c.yaml": 1, "d.yaml": 1 });
  });

  it("evicts nothing until trimmed: a repository larger than the bound still renders each file once for both sides", () => {
    const { renderOf, renders, memo } = countingMemo(1);
    const files = Array.from({ length: 20 }, (_, i) => `app-${String(i).padStart(2, "0")}.yaml`);
    for (const side of ["base", "head"]) for (const file of files) renderOf(file, side === "head" && file === "app-07.yaml" ? PERMISSIVE : MTLS);
    expect([...renders.values()].reduce((n, count) => n + count, 0)).toBe(21);
    expect(memo.size).toBe(21);
    memo.trim();
    expect({ size: memo.size, bytes: memo.bytes }).toEqual({ size: 0, bytes: 0 });
  });
});
