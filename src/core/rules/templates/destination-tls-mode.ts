import { asStrings, at, type MeshIndex } from "../mesh-index.js";
import { defineTemplate } from "../rule.js";
import { clientTlsSettings } from "./client-tls-settings.js";

interface Params {
  /** Client TLS modes that send plaintext. */
  modes: string[];
}

/**
 * A DestinationRule `tls` block, at any level (top, port, subset), whose mode is one of `modes`.
 * A block without a mode is DISABLE in Istio (the enum's zero value), and it overrides auto-mTLS
 * all the same: it counts as DISABLE.
 */
export const destinationTlsMode = defineTemplate<Params>({
  name: "destination-tls-mode",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["modes"],
    properties: { modes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] } } },
  },
  check({ index }, { modes }) {
    const external = externalHosts(index);
    return index.ofKind("DestinationRule").flatMap((dr) =>
      isExternal(at(dr.object.spec, "host"), external) ? [] : clientTlsSettings(dr).flatMap(({ tls, path, pointer }) => {
        const written = at(tls, "mode");
        const mode = written ?? "DISABLE";
        if (typeof mode !== "string" || !modes.includes(mode)) return [];
        const host = at(dr.object.spec, "host");
        return [
          {
            resource: dr,
            key: `${path}.mode`,
            pointer: written === undefined ? pointer : `${pointer}/mode`,
            values: { mode: written === undefined ? `${mode} (no mode given)` : mode, field: `${path}.mode`, host: typeof host === "string" ? host : "?" },
          },
        ];
      }),
    );
  },
});

/** The hosts MESH_EXTERNAL ServiceEntries declare (wildcards included). */
function externalHosts(index: MeshIndex): string[] {
  return index.ofKind("ServiceEntry").filter((se) => at(se.object.spec, "location") === "MESH_EXTERNAL").flatMap((se) => asStrings(at(se.object.spec, "hosts")));
}

function isExternal(host: unknown, external: readonly string[]): boolean {
  if (typeof host !== "string") return false;
  return external.some((e) => e === host || (e.startsWith("*.") && !host.includes("*") && host.endsWith(e.slice(1))));
}
