import { meshExternalEntry } from "../mesh-external-entry.js";
import { at } from "../mesh-index.js";
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
    return index.ofKind("DestinationRule").flatMap((dr) =>
      meshExternalEntry(index, at(dr.object.spec, "host"), dr.object.metadata.namespace ?? "") ? [] : clientTlsSettings(dr).flatMap(({ tls, path, pointer }) => {
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
