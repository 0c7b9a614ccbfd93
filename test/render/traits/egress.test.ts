import { describe, expect, it } from "vitest";
import { appWithTraits, errorsOf, ofKind, renderFiles, yamlOf } from "../../support/render.js";

describe("egress trait", () => {
  it("renders ServiceEntry C-egress for TLS on 443, resolved by DNS, visible to its own namespace only", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [api.stripe.com, api.github.com]") });
    expect(result.diagnostics).toEqual([]);
    expect(yamlOf(result, "ServiceEntry")).toMatchInlineSnapshot(`
      "apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata:
        name: frontend-egress
        namespace: shop
        labels:
          app.oam.dev/name: shop
          app.oam.dev/component: frontend
      spec:
        hosts:
          - api.stripe.com
          - api.github.com
        exportTo:
          - .
        location: MESH_EXTERNAL
        ports:
          - number: 443
            name: tls-443
            protocol: TLS
        resolution: DNS
      "
    `);
    const [serviceEntry] = ofKind(result, "ServiceEntry");
    expect(serviceEntry?.object.spec).toEqual({
      hosts: ["api.stripe.com", "api.github.com"],
      exportTo: ["."],
      location: "MESH_EXTERNAL",
      ports: [{ number: 443, name: "tls-443", protocol: "TLS" }],
      resolution: "DNS",
    });
    expect(serviceEntry?.source).toEqual({ file: "app.yaml", line: 15, app: "shop", component: "frontend", trait: "egress" });
  });

  it("names each port by its protocol and number in lower case", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: egress
  properties:
    hosts: [api.example.com]
    ports:
      - { number: 80, protocol: HTTP }
      - { number: 8443, protocol: HTTPS }
      - { number: 50051, protocol: GRPC }`),
    });
    expect(errorsOf(result)).toEqual([]);
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec?.ports).toEqual([
      { number: 80, name: "http-80", protocol: "HTTP" },
      { number: 8443, name: "https-8443", protocol: "HTTPS" },
      { number: 50051, name: "grpc-50051", protocol: "GRPC" },
    ]);
  });

  it("resolves nothing for a wildcard host, which DNS resolution rejects", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [api.example.com, \"*.s3.amazonaws.com\"]") });
    expect(result.diagnostics).toEqual([]);
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec?.resolution).toBe("NONE");
  });

  it("keeps an explicit resolution when no host is a wildcard", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [api.example.com]\n    resolution: DNS_ROUND_ROBIN") });
    expect(result.diagnostics).toEqual([]);
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec?.resolution).toBe("DNS_ROUND_ROBIN");
  });

  it("is an error to ask for DNS resolution of a wildcard host", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [\"*.example.com\"]\n    resolution: DNS") });
    expect(errorsOf(result)).toEqual([
      { file: "app.yaml", line: 18, severity: "error", message: expect.stringContaining("resolution DNS cannot resolve the wildcard host `*.example.com`") as string },
    ]);
    // Rendered as written: the error fails the check, and the rules still see the entry.
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec?.resolution).toBe("DNS");
  });

  it("reports host `*`, which Istio rejects, and still renders it for rule EGRESS-002", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts:\n      - api.example.com\n      - \"*\"") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[19, expect.stringContaining("host `*` matches every external host") as string]]);
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec).toMatchObject({ hosts: ["api.example.com", "*"], resolution: "NONE" });
  });

  it("reports a malformed host and a repeated port number at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: egress
  properties:
    hosts:
      - https://api.example.com
    ports:
      - { number: 443, protocol: TLS }
      - { number: 443, protocol: HTTPS }`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [18, expect.stringContaining("`https://api.example.com` is not a host name") as string],
      [21, expect.stringContaining("port 443 is listed twice (ports[0] and ports[1])") as string],
    ]);
  });

  it("warns that a TCP port without addresses covers all outbound traffic to that port", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [db.example.com]\n    ports:\n      - number: 5432\n        protocol: TCP") });
    expect(result.diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ["warning", 20, expect.stringContaining("TCP port 5432: a ServiceEntry without addresses cannot tell TCP destinations apart by host") as string],
    ]);
    expect(ofKind(result, "ServiceEntry")[0]?.object.spec?.ports).toEqual([{ number: 5432, name: "tcp-5432", protocol: "TCP" }]);
  });

  it("reports a missing hosts list at the trait", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[15, expect.stringContaining("missing required key `hosts`") as string]]);
    expect(ofKind(result, "ServiceEntry")).toEqual([]);
  });

  it("reports a wrong type, an unknown protocol and an unknown key at their lines", () => {
    const result = renderFiles({
      "app.yaml": appWithTraits(`- type: egress
  properties:
    hosts: api.example.com
    ports:
      - { number: 53, protocol: UDP }
    location: MESH_INTERNAL`),
    });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([
      [17, expect.stringContaining("`hosts` must be a list (got string \"api.example.com\")") as string],
      [19, expect.stringContaining('`ports.0.protocol` must be one of "HTTP", "HTTPS", "HTTP2", "GRPC", "TLS", "TCP" (got "UDP")') as string],
      [20, expect.stringContaining("unknown key `location`; allowed: hosts, ports, resolution") as string],
    ]);
  });

  it("rejects STATIC resolution, which needs endpoints the trait does not take", () => {
    const result = renderFiles({ "app.yaml": appWithTraits("- type: egress\n  properties:\n    hosts: [api.example.com]\n    resolution: STATIC") });
    expect(errorsOf(result).map((d) => [d.line, d.message])).toEqual([[18, expect.stringContaining('`resolution` must be one of "NONE", "DNS", "DNS_ROUND_ROBIN"') as string]]);
  });
});
