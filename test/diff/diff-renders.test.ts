import { describe, expect, it } from "vitest";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { appWithTraits, renderFiles } from "../support/render.js";
import { diffFixture, renderSide } from "./diff-fixture.js";

const split = (subsets: string): string => `- type: traffic-split
  properties:
    subsets:
${subsets.replace(/^/gm, "      ")}`;

const gateway = (name: string, servers: string): string => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: shop
spec:
  selector: { istio: ingressgateway }
  servers:
${servers}
`;
const https = "    - { port: { number: 443, name: https, protocol: HTTPS }, hosts: [./a.example.com, ./b.example.com], tls: { mode: SIMPLE, credentialName: cert } }";
const http = "    - { port: { number: 80, name: http, protocol: HTTP }, hosts: [./a.example.com], tls: { httpsRedirect: true } }";

describe("diffRenders", () => {
  it("reports no change for identical inputs", () => {
    const base = renderSide("canary-mtls", "base");
    expect(diffRenders(base, renderSide("canary-mtls", "base"))).toEqual({ changes: [] });
  });

  it("reports no change when lists are only reordered: subsets, gateway servers, hosts", () => {
    const base = renderFiles({
      "app.yaml": appWithTraits(split("- { name: stable, labels: { version: v1 }, weight: 90 }\n- { name: canary, labels: { version: v2 }, weight: 10 }")),
      "gw.yaml": gateway("shop-gw", `${https}\n${http}`),
    });
    const head = renderFiles({
      "app.yaml": appWithTraits(split("- { name: canary, labels: { version: v2 }, weight: 10 }\n- { name: stable, labels: { version: v1 }, weight: 90 }")),
      "gw.yaml": gateway("shop-gw", `${http}\n${https.replace("./a.example.com, ./b.example.com", "./b.example.com, ./a.example.com")}`),
    });
    expect(head.resources.map((r) => JSON.stringify(r.object))).not.toEqual(base.resources.map((r) => JSON.stringify(r.object)));
    expect(diffRenders(base, head)).toEqual({ changes: [] });
  });

  it("reports no change when only the manifest lines moved", () => {
    const base = renderFiles({ "app.yaml": appWithTraits("- type: mtls") });
    const head = renderFiles({ "app.yaml": `# a comment that moves every line\n${appWithTraits("- type: mtls")}` });
    expect(diffRenders(base, head).changes).toEqual([]);
  });

  it("reports a renamed resource as one added and one removed", () => {
    const base = renderFiles({ "gw.yaml": gateway("shop-gw", https) });
    const head = renderFiles({ "gw.yaml": gateway("shop-gateway", https) });
    const { changes } = diffRenders(base, head);
    expect(changes.map((c) => [c.change, c.identity])).toEqual([
      ["added", "networking.istio.io/Gateway/shop/shop-gateway"],
      ["removed", "networking.istio.io/Gateway/shop/shop-gw"],
    ]);
    expect(changes[0]?.fields).toEqual([{ path: "", pointer: "", before: null, after: head.resources[0]?.object }]);
    expect(changes[1]?.fields).toEqual([{ path: "", pointer: "", before: base.resources[0]?.object, after: null }]);
    expect(changes[0]?.patch.split("\n").slice(0, 4)).toEqual(["--- /dev/null", "+++ b/Gateway/shop/shop-gateway.yaml", "@@ -0,0 +1,19 @@", "+apiVersion: networking.istio.io/v1"]);
  });

  it("matches by group, kind, namespace and name: an API version bump is a modification", () => {
    const base = renderFiles({ "gw.yaml": gateway("shop-gw", https).replace("networking.istio.io/v1", "networking.istio.io/v1beta1") });
    const head = renderFiles({ "gw.yaml": gateway("shop-gw", https) });
    expect(diffRenders(base, head).changes.map((c) => [c.change, c.fields])).toEqual([
      ["modified", [{ path: "/apiVersion", pointer: "/apiVersion", before: "networking.istio.io/v1beta1", after: "networking.istio.io/v1" }]],
    ]);
  });

  it("diffs raw Services like every other resource the cluster gets", () => {
    const service = (port: number): string => `apiVersion: v1\nkind: Service\nmetadata: { name: legacy, namespace: shop }\nspec: { ports: [{ port: ${port}, name: http }] }\n`;
    const base = renderFiles({ "svc.yaml": service(80) });
    const head = renderFiles({ "svc.yaml": service(8080) });
    expect(diffRenders(base, head).changes.map((c) => [c.change, c.kind, c.fields.map((f) => [f.path, f.before, f.after])])).toEqual([["modified", "Service", [["/spec/ports/[name=http]/port", 80, 8080]]]]);
  });

  it("lists changes sorted by kind, namespace, name, with a unified YAML diff for each modified resource", () => {
    const { changes } = diffFixture("canary-mtls");
    expect(changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual([
      "modified PeerAuthentication shop/frontend",
      "modified VirtualService shop/frontend",
    ]);
    expect(changes[0]?.patch).toMatchInlineSnapshot(`
      "--- a/PeerAuthentication/shop/frontend.yaml
      +++ b/PeerAuthentication/shop/frontend.yaml
      @@ -12,4 +12,7 @@
             app.oam.dev/name: shop
             app.oam.dev/component: frontend
         mtls:
      -    mode: STRICT
      +    mode: PERMISSIVE
      +  portLevelMtls:
      +    "9090":
      +      mode: DISABLE
      "
    `);
    expect(changes[1]?.fields.map((f) => f.path)).toEqual([
      "/spec/http/[name=default]/route/[destination.subset=stable]/weight",
      "/spec/http/[name=default]/route/[destination.subset=canary]/weight",
      "/spec/http/[name=default]/timeout",
      "/spec/http/[name=default]/retries",
    ]);
  });

  it("is deterministic: the same inputs give the same change set", () => {
    expect(JSON.stringify(diffFixture("authorization"))).toBe(JSON.stringify(diffFixture("authorization")));
  });
});
