import type { JsonObject, Resource } from "../../types.js";
import { asArray, asStrings, at, stringMap, type MeshIndex } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { gatewayServers } from "./gateway-servers.js";

interface Params {
  /** Plaintext protocols whose server may redirect to HTTPS instead (`tls.httpsRedirect`). */
  redirectProtocols: string[];
  /** Protocols that carry TLS (and need a `tls` block); every other protocol is plaintext. */
  tlsProtocols: string[];
  /** Gateway API gateway classes that are not edges (waypoints): their listeners are in-mesh. */
  meshGatewayClasses: string[];
  /** The controller of the IngressClasses Istio serves, and the class names it answers to. */
  istioIngress: { controller: string; classes: string[] };
  /** TLS modes in which the gateway terminates TLS and so needs a certificate. */
  certificateModes: string[];
  /** Fields of a server `tls` block that supply a certificate. */
  certificateFields: string[];
}

const upperCaseNames = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[A-Z0-9_-]+$" } } as const;

/**
 * Edge servers that serve plaintext, or that terminate TLS with no certificate: every server of
 * an Istio Gateway whose protocol is not a TLS one (HTTP, HTTP2, GRPC, TCP, MONGO, … — only an
 * HTTP server that redirects to HTTPS is spared), every Gateway API listener that is not HTTPS
 * or TLS (an HTTP one is spared when every HTTPRoute attached to it redirects to https), and
 * every host of an Ingress served by Istio that its `tls` does not list. A server whose mode
 * needs no certificate (PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL) is fine; a TLS-protocol
 * server without any `tls` block has no certificate either.
 */
export const gatewayServerTls = defineTemplate<Params>({
  name: "gateway-server-tls",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["redirectProtocols", "tlsProtocols", "meshGatewayClasses", "istioIngress", "certificateModes", "certificateFields"],
    properties: {
      redirectProtocols: upperCaseNames,
      tlsProtocols: upperCaseNames,
      meshGatewayClasses: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } },
      istioIngress: {
        type: "object",
        additionalProperties: false,
        required: ["controller", "classes"],
        properties: { controller: { type: "string", minLength: 1 }, classes: { type: "array", items: { type: "string", minLength: 1 } } },
      },
      certificateModes: upperCaseNames,
      certificateFields: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
    },
  },
  check({ index }, params) {
    const istio = index.ofKind("Gateway").flatMap((gateway) =>
      gatewayServers(gateway).flatMap((server): FindingDraft[] => {
        const { tls, label, pointer, protocol } = server;
        const values = { server: label, protocol: protocol || "?" };
        // A server without a protocol is one Istio rejects (the schema check reports it).
        if (protocol !== "" && !params.tlsProtocols.includes(protocol)) {
          if (params.redirectProtocols.includes(protocol)) {
            if (tls && at(tls, "httpsRedirect") === true) return [];
            return [{ resource: gateway, key: `servers[${label}].tls.httpsRedirect`, pointer: tls ? `${pointer}/tls` : pointer, values: { ...values, mode: "plaintext", missing: "tls.httpsRedirect: true" } }];
          }
          return [{ resource: gateway, key: `servers[${label}].protocol`, pointer: `${pointer}/port/protocol`, values: { ...values, mode: "plaintext", missing: "TLS (use protocol TLS or HTTPS with a certificate)" } }];
        }
        const missingCertificate = { ...values, missing: `a certificate (${params.certificateFields.join(", ")})` };
        if (!tls) {
          if (!params.tlsProtocols.includes(protocol)) return [];
          return [{ resource: gateway, key: `servers[${label}].tls`, pointer, values: { ...missingCertificate, mode: "no tls block" } }];
        }
        const mode = at(tls, "mode");
        if (typeof mode !== "string" || !params.certificateModes.includes(mode) || hasCertificate(tls, params.certificateFields)) return [];
        return [{ resource: gateway, key: `servers[${label}].tls.certificate`, pointer: `${pointer}/tls`, values: { ...missingCertificate, mode } }];
      }),
    );
    return [...istio, ...gatewayApiListeners(index, params), ...istioIngresses(index, params)];
  },
});

/** Gateway API listeners that serve plaintext, or terminate TLS without a certificate. */
function gatewayApiListeners(index: MeshIndex, params: Params): FindingDraft[] {
  const routes = index.ofKind("HTTPRoute");
  return index.ofKind("Gateway.gateway.networking.k8s.io").flatMap((gateway) => {
    const className = at(gateway.object.spec, "gatewayClassName");
    if (typeof className === "string" && params.meshGatewayClasses.includes(className)) return [];
    return asArray(at(gateway.object.spec, "listeners")).flatMap((listener, i): FindingDraft[] => {
      const name = at(listener, "name");
      const port = at(listener, "port");
      const written = at(listener, "protocol");
      const protocol = typeof written === "string" ? written.toUpperCase() : "";
      const label = `${typeof port === "number" ? String(port) : "?"}/${typeof name === "string" ? name : `#${i}`}`;
      const pointer = `/spec/listeners/${i}`;
      const values = { server: `listener ${label}`, protocol: protocol || "?" };
      if (protocol === "HBONE" || protocol === "") return [];
      if (!params.tlsProtocols.includes(protocol)) {
        if (protocol === "HTTP" && redirectsEverything(routes, gateway, typeof name === "string" ? name : undefined)) return [];
        return [{ resource: gateway, key: `listeners[${label}].protocol`, pointer: `${pointer}/protocol`, values: { ...values, mode: "plaintext", missing: "TLS (an HTTPS or TLS listener, or HTTPRoutes that redirect to https)" } }];
      }
      const mode = at(listener, "tls", "mode") ?? "Terminate";
      if (mode !== "Terminate" || asArray(at(listener, "tls", "certificateRefs")).length > 0) return [];
      return [{ resource: gateway, key: `listeners[${label}].tls.certificateRefs`, pointer, values: { ...values, mode: "Terminate", missing: "a certificate (tls.certificateRefs)" } }];
    });
  });
}

/** Whether HTTPRoutes are attached to the listener and every rule of each redirects to https. */
function redirectsEverything(routes: readonly Resource[], gateway: Resource, listener: string | undefined): boolean {
  const { name, namespace = "" } = gateway.object.metadata;
  const attached = routes.filter((route) =>
    asArray(at(route.object.spec, "parentRefs")).some((ref) => {
      const refNamespace = at(ref, "namespace") ?? route.object.metadata.namespace ?? "";
      const section = at(ref, "sectionName");
      return at(ref, "name") === name && refNamespace === namespace && (section === undefined || section === listener);
    }),
  );
  return attached.length > 0 && attached.every((route) => asArray(at(route.object.spec, "rules")).every((rule) => asArray(at(rule, "filters")).some((f) => at(f, "type") === "RequestRedirect" && at(f, "requestRedirect", "scheme") === "https")));
}

/** Hosts of Ingresses served by Istio that no `tls` entry covers: Istio serves them over plain HTTP. */
function istioIngresses(index: MeshIndex, params: Params): FindingDraft[] {
  const classes = new Set([...params.istioIngress.classes, ...index.ofKind("IngressClass").filter((c) => at(c.object.spec, "controller") === params.istioIngress.controller).map((c) => c.object.metadata.name)]);
  return index.ofKind("Ingress").flatMap((ingress): FindingDraft[] => {
    const className = at(ingress.object.spec, "ingressClassName") ?? stringMap(at(ingress.object, "metadata", "annotations"))["kubernetes.io/ingress.class"];
    if (typeof className !== "string" || !classes.has(className)) return [];
    const secured = asArray(at(ingress.object.spec, "tls")).flatMap((t) => asStrings(at(t, "hosts")));
    const hosts = [...new Set(asArray(at(ingress.object.spec, "rules")).map((r) => at(r, "host")).map((h) => (typeof h === "string" ? h : "*")))];
    return hosts.filter((h) => !secured.includes(h)).map((host) => ({
      resource: ingress,
      key: `hosts[${host}]`,
      pointer: "/spec/rules",
      values: { server: `Ingress host ${host}`, protocol: "HTTP", mode: "plaintext", missing: "a spec.tls entry for the host" },
    }));
  });
}

function hasCertificate(tls: JsonObject, fields: string[]): boolean {
  return fields.some((field) => {
    const value = tls[field];
    return (typeof value === "string" && value.trim() !== "") || (Array.isArray(value) && value.length > 0);
  });
}
