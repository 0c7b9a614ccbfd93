import { CONFIG_PATH } from "../../config/config.js";
import { at, isSelectorless } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { MTLS_MODE_RANK } from "./peer-authentication-mode.js";

interface Params {
  /** The mode the mesh as a whole must enforce. */
  requiredMode: string;
}

/**
 * The mesh-wide mTLS mode: a selector-less PeerAuthentication in the root namespace, else the
 * mode the config says is enforced outside the repository. Istio picks the oldest of several
 * mesh-wide policies, which a render cannot know, so each one that is not the required mode is
 * a finding. A mesh-level UNSET (or no `mtls`) has nothing to inherit from: it is PERMISSIVE.
 */
export const meshWideMtls = defineTemplate<Params>({
  name: "mesh-wide-mtls",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["requiredMode"],
    properties: { requiredMode: { type: "string", enum: ["STRICT", "PERMISSIVE", "DISABLE"] } },
  },
  check({ index, config }, { requiredMode }) {
    const meshWide = index.ofKind("PeerAuthentication").filter((pa) => pa.object.metadata.namespace === index.rootNamespace && isSelectorless(pa));
    if (meshWide.length === 0) {
      if (config.mesh.mtls === requiredMode) return [];
      return [
        {
          key: "config:mesh.mtls",
          value: { text: config.mesh.mtls, rank: MTLS_MODE_RANK[config.mesh.mtls] ?? 3 },
          location: { file: CONFIG_PATH, line: 1 },
          values: {
            mode: config.mesh.mtls,
            required: requiredMode,
            source: `config mesh.mtls, as no selector-less PeerAuthentication is in the root namespace ${index.rootNamespace}`,
          },
        },
      ];
    }
    return meshWide.flatMap((pa): FindingDraft[] => {
      const written = at(pa.object.spec, "mtls", "mode");
      const mode = typeof written !== "string" || written === "UNSET" ? "PERMISSIVE" : written;
      if (mode === requiredMode) return [];
      const { namespace = "", name } = pa.object.metadata;
      return [
        {
          resource: pa,
          key: "mtls.mode",
          value: { text: mode, rank: MTLS_MODE_RANK[mode] ?? 3 },
          pointer: "/spec/mtls/mode",
          values: {
            mode: typeof written === "string" && written !== mode ? `${written}, hence ${mode}` : mode,
            required: requiredMode,
            source: `PeerAuthentication ${namespace}/${name}`,
          },
        },
      ];
    });
  },
});
