import type { JsonObject } from "../../types.js";
import { at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { gatewayServers } from "./gateway-servers.js";

interface Params {
  /** Protocols served in plaintext: such a server must redirect to HTTPS. */
  plaintextProtocols: string[];
  /** Protocols that need a `tls` block. */
  tlsProtocols: string[];
  /** TLS modes in which the gateway terminates TLS and so needs a certificate. */
  certificateModes: string[];
  /** Fields of a server `tls` block that supply a certificate. */
  certificateFields: string[];
}

const upperCaseNames = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[A-Z0-9_-]+$" } } as const;

/**
 * Gateway servers that serve plaintext without redirecting to HTTPS, or that terminate TLS with
 * no certificate. A server whose mode needs none (PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL)
 * is fine; a TLS-protocol server without any `tls` block has no certificate either.
 */
export const gatewayServerTls = defineTemplate<Params>({
  name: "gateway-server-tls",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["plaintextProtocols", "tlsProtocols", "certificateModes", "certificateFields"],
    properties: {
      plaintextProtocols: upperCaseNames,
      tlsProtocols: upperCaseNames,
      certificateModes: upperCaseNames,
      certificateFields: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
    },
  },
  check({ index }, params) {
    return index.ofKind("Gateway").flatMap((gateway) =>
      gatewayServers(gateway).flatMap((server): FindingDraft[] => {
        const { tls, label, pointer, protocol } = server;
        const values = { server: label, protocol: protocol || "?" };
        if (params.plaintextProtocols.includes(protocol)) {
          if (tls && at(tls, "httpsRedirect") === true) return [];
          return [{ resource: gateway, key: `servers[${label}].tls.httpsRedirect`, pointer: tls ? `${pointer}/tls` : pointer, values: { ...values, mode: "plaintext", missing: "tls.httpsRedirect: true" } }];
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
  },
});

function hasCertificate(tls: JsonObject, fields: string[]): boolean {
  return fields.some((field) => {
    const value = tls[field];
    return (typeof value === "string" && value.trim() !== "") || (Array.isArray(value) && value.length > 0);
  });
}
