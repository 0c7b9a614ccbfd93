import { asArray, at, type MeshIndex } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { destinationsOf, networkingResources, serviceEntryCovers, subsetsByHost } from "./traffic-routing.js";

interface RouteToNewSubsetParams {
  /**
   * Whether hosts the base knows nothing of (no Service, DestinationRule, ServiceEntry or route
   * to them) are exempt: with no traffic to break, there is no "before" to make first.
   */
  exemptNewHosts: boolean;
}

/**
 * Make before break: a change that adds a subset to a host's DestinationRules and, in the same
 * change, sends it traffic. Istio propagates configuration eventually, so proxies that receive
 * the route before the subset answer 503 until the DestinationRule arrives. Compares the head
 * with the base render; without a base (a single revision) it finds nothing. Mirrors take a
 * copy of the traffic, whose failures no client sees, so they are not judged.
 */
export const routeToNewSubset = defineTemplate<RouteToNewSubsetParams>({
  name: "route-to-new-subset",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["exemptNewHosts"],
    properties: { exemptNewHosts: { type: "boolean" } },
  },
  check({ index, base }, { exemptNewHosts }) {
    if (!base) return [];
    const headSubsets = subsetsByHost(index);
    const baseSubsets = subsetsByHost(base.index);
    const knownInBase = hostsKnownIn(base.index);
    const findings: FindingDraft[] = [];
    for (const virtualService of networkingResources(index, "VirtualService")) {
      for (const destination of destinationsOf(virtualService, index)) {
        const { fqdn, subset, share } = destination;
        if (subset === undefined || share === undefined || share <= 0) continue;
        // A subset no DestinationRule defines is TRAF-001's finding, not an addition.
        const head = headSubsets(fqdn);
        if (!head?.names.has(subset)) continue;
        if (baseSubsets(fqdn)?.names.has(subset)) continue;
        if (exemptNewHosts && !knownInBase(fqdn)) continue;
        const definedBy = head.rules
          .filter((r) => asArray(at(r.object.spec, "subsets")).some((s) => at(s, "name") === subset))
          .map((r) => `${r.object.metadata.namespace ?? ""}/${r.object.metadata.name}`)
          .join(", ");
        findings.push({
          resource: virtualService,
          key: `${fqdn}/${subset}`,
          pointer: destination.weightPointer ?? destination.pointer,
          values: { route: `${destination.route.label} ${destination.label}`, share, subset, host: fqdn, destinationRule: definedBy },
        });
      }
    }
    return findings;
  },
});

/** Whether a revision's render knows a host: a Service, DestinationRule or ServiceEntry for it, or a route to it. */
function hostsKnownIn(index: MeshIndex): (fqdn: string) => boolean {
  const subsets = subsetsByHost(index);
  const inServiceEntry = serviceEntryCovers(index);
  const routed = new Set(networkingResources(index, "VirtualService").flatMap((vs) => destinationsOf(vs, index).map((d) => d.fqdn)));
  return (fqdn) => index.services.has(fqdn) || subsets(fqdn) !== undefined || inServiceEntry(fqdn) || routed.has(fqdn);
}
