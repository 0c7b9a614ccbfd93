import { policyScope } from "../../authorization/policy-scope.js";
import type { Resource } from "../../types.js";
import { asObject, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface Params {
  /** Modes that accept plaintext from peers. */
  weakModes: string[];
}

/** How much plaintext a mode accepts: a finding whose mode moved up this order got worse. */
export const MTLS_MODE_RANK: Readonly<Record<string, number>> = { STRICT: 0, UNSET: 1, PERMISSIVE: 2, DISABLE: 3 };

/**
 * A PeerAuthentication that sets a weak mode, at top level or for a port (`UNSET` inherits: not a
 * finding). The finding carries the policy's scope and the mode, so that PERMISSIVE turned into
 * DISABLE, or a selector dropped, is a new finding and not the pre-existing one.
 */
export const peerAuthenticationMode = defineTemplate<Params>({
  name: "peer-authentication-mode",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["weakModes"],
    properties: { weakModes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["PERMISSIVE", "DISABLE", "UNSET"] } } },
  },
  check({ index }, { weakModes }) {
    return index.ofKind("PeerAuthentication").flatMap((pa) => weakSettings(pa, weakModes, index.rootNamespace));
  },
});

function weakSettings(pa: Resource, weakModes: string[], rootNamespace: string): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  const scope = policyScope(pa, rootNamespace);
  const value = (mode: string): { text: string; rank: number } => ({ text: mode, rank: MTLS_MODE_RANK[mode] ?? 3 });
  const mode = at(pa.object.spec, "mtls", "mode");
  if (typeof mode === "string" && weakModes.includes(mode)) {
    drafts.push({ resource: pa, key: "mtls.mode", scope, value: value(mode), pointer: "/spec/mtls/mode", values: { mode, scope: "all ports" } });
  }
  for (const [port, setting] of Object.entries(asObject(at(pa.object.spec, "portLevelMtls")))) {
    const portMode = at(setting, "mode");
    if (typeof portMode === "string" && weakModes.includes(portMode)) {
      drafts.push({ resource: pa, key: `portLevelMtls[${port}].mode`, scope, value: value(portMode), pointer: `/spec/portLevelMtls/${escapePointer(port)}/mode`, values: { mode: portMode, scope: `port ${port}` } });
    }
  }
  return drafts;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}
