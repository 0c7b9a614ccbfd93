import type { JsonObject, JsonValue, Resource } from "../../types.js";
import { asArray, at } from "../mesh-index.js";

/** One server of a Gateway, read defensively (raw documents may hold anything). */
export interface GatewayServer {
  /** `port/name` (e.g. `443/https-frontend`): stable when servers are reordered or others added. */
  label: string;
  /** JSON pointer of the server, e.g. `/spec/servers/0`. */
  pointer: string;
  /** The port protocol in upper case (Istio reads it case-insensitively); "" when missing. */
  protocol: string;
  /** The `tls` block, when the server has one. */
  tls?: JsonObject;
  hosts: JsonValue[];
}

/** The servers of a Gateway, each with a label that identifies it in finding keys and messages. */
export function gatewayServers(gateway: Resource): GatewayServer[] {
  return asArray(at(gateway.object.spec, "servers")).map((server, index): GatewayServer => {
    const number = at(server, "port", "number");
    const name = at(server, "port", "name");
    const protocol = at(server, "port", "protocol");
    const tls = at(server, "tls");
    return {
      label: `${typeof number === "number" ? String(number) : "?"}/${typeof name === "string" ? name : `#${index}`}`,
      pointer: `/spec/servers/${index}`,
      protocol: typeof protocol === "string" ? protocol.toUpperCase() : "",
      ...(tls !== null && typeof tls === "object" && !Array.isArray(tls) ? { tls } : {}),
      hosts: asArray(at(server, "hosts")),
    };
  });
}
