import type { Resource } from "../../types.js";
import { identityOf } from "../../render/identity.js";
import { asStrings, at, type MeshIndex } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { isGatewayBound } from "./ingress-routes.js";

interface Binding {
  virtualService: Resource;
  /** The Application that writes it, or the raw document's identity. */
  owner: string;
  /** `namespace/name` of the gateway. */
  gateway: string;
  host: string;
}

/**
 * VirtualServices that bind a host on a gateway where another Application already serves the
 * same host (or a wildcard covering it): Istio merges or picks between them, so the newcomer can
 * take over the other's traffic. With a base render, the Applications that bound the host there
 * are the incumbents and only the others are findings; without one, every party is.
 */
export const hostTakeover = defineTemplate<Record<string, never>>({
  name: "host-takeover",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, base }) {
    const head = bindings(index);
    const incumbents = base ? bindings(base.index) : [];
    const drafts: FindingDraft[] = [];
    for (const binding of head) {
      const rivals = head.filter((other) => other.owner !== binding.owner && other.gateway === binding.gateway && overlaps(other.host, binding.host));
      if (rivals.length === 0) continue;
      const wasThere = incumbents.some((b) => b.owner === binding.owner && b.gateway === binding.gateway && overlaps(b.host, binding.host));
      const rivalsWereThere = rivals.filter((r) => incumbents.some((b) => b.owner === r.owner && b.gateway === binding.gateway && overlaps(b.host, r.host)));
      if (wasThere && rivalsWereThere.length < rivals.length) continue;
      drafts.push({
        resource: binding.virtualService,
        key: `hosts/${binding.gateway}/${binding.host}`,
        pointer: "/spec/hosts",
        values: {
          virtualService: `${binding.virtualService.object.metadata.namespace ?? ""}/${binding.virtualService.object.metadata.name}`,
          host: binding.host,
          gateway: binding.gateway,
          others: [...new Set(rivals.map((r) => r.owner))].sort().join(", "),
        },
      });
    }
    return drafts;
  },
});

function bindings(index: MeshIndex): Binding[] {
  return index.ofKind("VirtualService").filter(isGatewayBound).flatMap((vs) => {
    const namespace = vs.object.metadata.namespace ?? "";
    const owner = vs.source.app !== undefined ? `Application ${namespace}/${vs.source.app}` : `${vs.object.kind} ${identityOf(vs.object)}`;
    const gateways = asStrings(at(vs.object.spec, "gateways")).filter((g) => g !== "mesh").map((g) => (g.includes("/") ? g : `${namespace}/${g}`));
    const hosts = asStrings(at(vs.object.spec, "hosts")).map((h) => h.toLowerCase());
    return gateways.flatMap((gateway) => hosts.map((host) => ({ virtualService: vs, owner, gateway, host })));
  });
}

/** Whether two hosts can name the same request: equal, or a wildcard covering the other. */
function overlaps(a: string, b: string): boolean {
  const covers = (wild: string, host: string): boolean => wild === "*" || (wild.startsWith("*.") && host.endsWith(wild.slice(1)));
  return a === b || covers(a, b) || covers(b, a);
}
