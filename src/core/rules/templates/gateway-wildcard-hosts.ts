import { defineTemplate, type FindingDraft } from "../rule.js";
import { gatewayServers } from "./gateway-servers.js";

/**
 * Gateway server hosts that accept any host name (a host part `*`, whatever the namespace part),
 * or a wildcard that no host of the config's shared gateways (`mesh.gateways[].hosts`) covers.
 * A host is reported once per Gateway, however many servers list it.
 */
export const gatewayWildcardHosts = defineTemplate<Record<string, never>>({
  name: "gateway-wildcard-hosts",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    const allowed = config.mesh.gateways.flatMap((g) => g.hosts.map(hostPart));
    return index.ofKind("Gateway").flatMap((gateway) =>
      gatewayServers(gateway).flatMap(({ hosts, pointer }) =>
        hosts.flatMap((entry, j): FindingDraft[] => {
          if (typeof entry !== "string") return [];
          const host = hostPart(entry);
          if (!host.includes("*")) return [];
          if (host !== "*" && allowed.some((a) => covers(a, host))) return [];
          return [
            {
              resource: gateway,
              key: `hosts[${entry}]`,
              pointer: `${pointer}/hosts/${j}`,
              values: {
                host: entry,
                reason: host === "*" ? "accepts every host name" : "is a wildcard that no host of config mesh.gateways covers",
                allowed: allowed.length > 0 ? allowed.join(", ") : "none",
              },
            },
          ];
        }),
      ),
    );
  },
});

/** A server host is `namespace/host` or `host`. */
function hostPart(entry: string): string {
  const slash = entry.indexOf("/");
  return slash < 0 ? entry : entry.slice(slash + 1);
}

/** Whether an allowed host covers a wildcard host: the same, or a wider `*.` suffix. */
function covers(allowed: string, host: string): boolean {
  if (allowed === "*" || allowed === host) return true;
  return allowed.startsWith("*.") && host.endsWith(allowed.slice(1));
}
