import type { JsonValue, Resource } from "../../types.js";
import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { destinationsOf, networkingResources, routesOf, serviceEntryCovers, subsetsByHost } from "./traffic-routing.js";

/** The reserved gateway name that binds a VirtualService to the sidecars, not to a Gateway. */
const MESH = "mesh";

/**
 * VirtualService references that resolve to nothing: a subset no DestinationRule defines for
 * the destination host, a gateway (Istio's or the Gateway API's) neither rendered nor listed in
 * config `mesh.gateways`, a port the target Service does not expose. Hosts the repository knows nothing of (no Service, no
 * DestinationRule, no ServiceEntry) live elsewhere and are not judged.
 */
export const routeReferences = defineTemplate<Record<string, never>>({
  name: "route-references",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index, config }) {
    const subsets = subsetsByHost(index);
    const inServiceEntry = serviceEntryCovers(index);
    // Istio resolves a VirtualService's gateway to an Istio Gateway or a Gateway API Gateway of that name.
    const gateways = new Set([
      ...[...networkingResources(index, "Gateway"), ...index.ofKind("Gateway.gateway.networking.k8s.io")].map((g) => `${g.object.metadata.namespace ?? ""}/${g.object.metadata.name}`),
      ...config.mesh.gateways.map((g) => g.name),
    ]);
    const findings: FindingDraft[] = [];

    for (const virtualService of networkingResources(index, "VirtualService")) {
      const namespace = virtualService.object.metadata.namespace ?? "";
      for (const ref of gatewayRefs(virtualService)) {
        const name = resolveGateway(ref.name, namespace);
        if (ref.name === MESH || gateways.has(name)) continue;
        findings.push({
          resource: virtualService,
          key: `gateway:${name}`,
          pointer: ref.pointer,
          values: { field: ref.label, kind: "gateway", name, scope: "the rendered Gateways or config mesh.gateways" },
        });
      }

      for (const destination of destinationsOf(virtualService, index)) {
        const field = `${destination.route.label} ${destination.label}`;
        const { fqdn, subset, port } = destination;
        if (fqdn.includes("*")) continue;
        if (subset !== undefined) {
          const defined = subsets(fqdn);
          const known = defined !== undefined || index.services.has(fqdn) || inServiceEntry(fqdn);
          if (known && !defined?.names.has(subset)) {
            const scope = defined
              ? `the DestinationRules for ${fqdn} (${defined.rules.map(nameOf).join(", ")}; subsets: ${[...defined.names].sort().join(", ") || "none"})`
              : `any DestinationRule (none in the render is for ${fqdn})`;
            findings.push({ resource: virtualService, key: `subset:${fqdn}/${subset}`, pointer: `${destination.pointer}/subset`, values: { field, kind: "subset", name: subset, scope } });
          }
        }
        const service = index.services.get(fqdn);
        if (port !== undefined && service && !service.ports.some((p) => p.port === port)) {
          const ports = service.ports.map((p) => p.port).join(", ") || "none";
          findings.push({
            resource: virtualService,
            key: `port:${fqdn}:${port}`,
            pointer: `${destination.pointer}/port/number`,
            values: { field, kind: "port", name: port, scope: `Service ${service.namespace}/${service.name} (ports: ${ports})` },
          });
        }
      }
    }
    return findings;
  },
});

interface GatewayRef {
  name: string;
  pointer: string;
  label: string;
}

/** `spec.gateways` and the `gateways` of every match condition of every routing rule. */
function gatewayRefs(virtualService: Resource): GatewayRef[] {
  const refs: GatewayRef[] = [];
  const collect = (list: JsonValue | undefined, pointer: string, label: string): void => {
    asArray(list).forEach((name, k) => {
      if (typeof name === "string" && name !== "") refs.push({ name, pointer: `${pointer}/${k}`, label: `${label}[${k}]` });
    });
  };
  collect(at(virtualService.object.spec, "gateways"), "/spec/gateways", "gateways");
  for (const route of routesOf(virtualService)) {
    asArray(at(route.rule, "match")).forEach((match, m) => {
      collect(at(match, "gateways"), `${route.pointer}/match/${m}/gateways`, `${route.label} match[${m}].gateways`);
    });
  }
  return refs;
}

/**
 * `namespace/name` of a gateway reference, as Istio resolves it: `name` and `./name` are in the
 * VirtualService's namespace; the legacy `name.namespace[.svc.cluster.local]` form names its own.
 */
export function resolveGateway(ref: string, namespace: string): string {
  const slash = ref.indexOf("/");
  if (slash >= 0) return ref.slice(0, slash) === "." ? `${namespace}/${ref.slice(slash + 1)}` : ref;
  const dot = ref.indexOf(".");
  if (dot < 0) return `${namespace}/${ref}`;
  const rest = ref.slice(dot + 1);
  const end = rest.indexOf(".");
  return `${end < 0 ? rest : rest.slice(0, end)}/${ref.slice(0, dot)}`;
}

function nameOf(resource: Resource): string {
  return `${resource.object.metadata.namespace ?? ""}/${resource.object.metadata.name}`;
}
