import type { JsonObject } from "../../types.js";
import { at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { clientTlsSettings } from "./client-tls-settings.js";

interface Params {
  /** Fields of a DestinationRule `tls` block that supply the client certificate for MUTUAL. */
  clientCertificateFields: string[];
}

/**
 * TLS that a DestinationRule originates without verifying the server (`insecureSkipVerify`), or
 * MUTUAL without a client certificate to present. A block whose mode is DISABLE, or that has no
 * mode (Istio's zero value, DISABLE), originates no TLS: that is MTLS-003's concern.
 */
export const tlsOrigination = defineTemplate<Params>({
  name: "tls-origination",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["clientCertificateFields"],
    properties: { clientCertificateFields: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } } },
  },
  check({ index }, { clientCertificateFields }) {
    return index.ofKind("DestinationRule").flatMap((dr) => {
      const hostValue = at(dr.object.spec, "host");
      const host = typeof hostValue === "string" ? hostValue : "?";
      return clientTlsSettings(dr).flatMap(({ tls, path, pointer }): FindingDraft[] => {
        const mode = at(tls, "mode") ?? "DISABLE";
        if (mode === "DISABLE") return [];
        const drafts: FindingDraft[] = [];
        if (at(tls, "insecureSkipVerify") === true) {
          drafts.push({ resource: dr, key: `${path}.insecureSkipVerify`, pointer: `${pointer}/insecureSkipVerify`, values: { host, field: path, problem: "insecureSkipVerify: true (the server certificate is not verified)" } });
        }
        if (mode === "MUTUAL" && !clientCertificateFields.some((field) => isSet(tls, field))) {
          drafts.push({ resource: dr, key: `${path}.clientCertificate`, pointer: `${pointer}/mode`, values: { host, field: path, problem: `mode MUTUAL without a client certificate (${clientCertificateFields.join(" or ")})` } });
        }
        return drafts;
      });
    });
  },
});

function isSet(tls: JsonObject, field: string): boolean {
  const value = tls[field];
  return (typeof value === "string" && value.trim() !== "") || (Array.isArray(value) && value.length > 0);
}
