import { at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { gatewayServers } from "./gateway-servers.js";

interface Params {
  /** The lowest TLS version a gateway may accept. */
  minimumVersion: string;
}

/** Istio's explicit versions, oldest first. TLS_AUTO is Envoy's server default (TLS 1.2 and up), so it is not below. */
const VERSIONS = ["TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"];

/** A Gateway passes TLS through unterminated in these modes: its version settings do not apply. */
const PASSTHROUGH = ["PASSTHROUGH", "AUTO_PASSTHROUGH"];

/**
 * Gateway servers that accept TLS versions older than the minimum: a `minProtocolVersion` below
 * it, or a `maxProtocolVersion` below it (which caps every connection at an old version).
 */
export const gatewayTlsVersion = defineTemplate<Params>({
  name: "gateway-tls-version",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["minimumVersion"],
    properties: { minimumVersion: { type: "string", enum: VERSIONS } },
  },
  check({ index }, { minimumVersion }) {
    const floor = VERSIONS.indexOf(minimumVersion);
    return index.ofKind("Gateway").flatMap((gateway) =>
      gatewayServers(gateway).flatMap(({ tls, label, pointer }): FindingDraft[] => {
        if (!tls) return [];
        const mode = at(tls, "mode");
        if (typeof mode === "string" && PASSTHROUGH.includes(mode)) return [];
        return (["minProtocolVersion", "maxProtocolVersion"] as const).flatMap((field): FindingDraft[] => {
          const version = at(tls, field);
          if (typeof version !== "string") return [];
          const rank = VERSIONS.indexOf(version);
          if (rank < 0 || rank >= floor) return [];
          return [{ resource: gateway, key: `servers[${label}].tls.${field}`, pointer: `${pointer}/tls/${field}`, values: { server: label, field, version, minimum: minimumVersion } }];
        });
      }),
    );
  },
});
