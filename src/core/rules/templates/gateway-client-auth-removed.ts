import { identityOf } from "../../render/identity.js";
import type { JsonObject } from "../../types.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { at } from "../mesh-index.js";
import { gatewayServers } from "./gateway-servers.js";

/** How strongly a server's TLS mode authenticates clients: a higher rank authenticates fewer. */
const CLIENT_AUTH_RANK: Readonly<Record<string, number>> = { MUTUAL: 0, OPTIONAL_MUTUAL: 1 };
const NONE = 2;

/**
 * Gateway servers that authenticated clients by certificate in the base (MUTUAL, or
 * OPTIONAL_MUTUAL) and authenticate fewer in the head (SIMPLE, PASSTHROUGH, …, or MUTUAL turned
 * OPTIONAL_MUTUAL): the edge stops asking callers who they are. Servers are matched by port and
 * name, so reordering or adding servers does not hide the change; a server that is removed is
 * not a finding. Judged only on a change (with a base render).
 */
export const gatewayClientAuthRemoved = defineTemplate<Record<string, never>>({
  name: "gateway-client-auth-removed",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, base }) {
    if (!base) return [];
    const before = new Map(base.index.ofKind("Gateway").map((g) => [identityOf(g.object), g]));
    return index.ofKind("Gateway").flatMap((gateway): FindingDraft[] => {
      const was = before.get(identityOf(gateway.object));
      if (!was) return [];
      const baseModes = new Map(gatewayServers(was).map((s) => [s.label, modeOf(s.tls)]));
      return gatewayServers(gateway).flatMap((server): FindingDraft[] => {
        const from = baseModes.get(server.label);
        const to = modeOf(server.tls);
        if (from === undefined || rank(to) <= rank(from) || rank(from) === NONE) return [];
        return [
          {
            resource: gateway,
            key: `servers[${server.label}].tls.mode`,
            value: { text: `${from}→${to}` },
            pointer: server.tls ? `${server.pointer}/tls` : server.pointer,
            values: { gateway: `${gateway.object.metadata.namespace ?? ""}/${gateway.object.metadata.name}`, server: server.label, from, to },
          },
        ];
      });
    });
  },
});

function modeOf(tls: JsonObject | undefined): string {
  const mode = at(tls, "mode");
  return typeof mode === "string" ? mode : tls ? "PASSTHROUGH" : "no TLS";
}

function rank(mode: string): number {
  return CLIENT_AUTH_RANK[mode] ?? NONE;
}
