import type { JsonValue, Resource } from "../../types.js";
import { asArray, at, asStrings, type MeshIndex, type Workload } from "../mesh-index.js";

/** Whether a VirtualService is bound to a gateway: `gateways` lists something other than `mesh`. */
export function isGatewayBound(virtualService: Resource): boolean {
  return asStrings(at(virtualService.object.spec, "gateways")).some((g) => g !== "mesh");
}

/** A workload that a gateway-bound VirtualService sends traffic to, and how. */
export interface IngressRoute {
  workload: Workload;
  virtualService: Resource;
  /** The destination host as written. */
  host: string;
  gateways: string[];
}

/**
 * The workloads reachable from gateways: every destination (http, tcp and tls routes, mirrors,
 * and the routes of a delegate VirtualService) of a gateway-bound VirtualService whose host is a
 * Service in the render, and the workloads that Service selects. Short hosts resolve in the
 * namespace of the VirtualService that writes them. Ordered as the render is.
 */
export function ingressRoutes(index: MeshIndex): IngressRoute[] {
  const virtualServices = index.ofKind("VirtualService");
  const found: IngressRoute[] = [];
  for (const vs of virtualServices.filter(isGatewayBound)) {
    const gateways = asStrings(at(vs.object.spec, "gateways")).filter((g) => g !== "mesh");
    const namespace = vs.object.metadata.namespace ?? "";
    const targets = destinationHosts(vs.object.spec).map((host) => ({ host, namespace }));
    for (const delegate of delegatesOf(vs, virtualServices)) {
      const delegateNamespace = delegate.object.metadata.namespace ?? "";
      targets.push(...destinationHosts(delegate.object.spec).map((host) => ({ host, namespace: delegateNamespace })));
    }
    for (const target of targets) {
      const service = index.services.get(index.fqdn(target.host, target.namespace));
      if (!service) continue;
      // A Service without a selector selects no pods.
      for (const workload of index.workloadsMatching(service.namespace, service.selector)) {
        found.push({ workload, virtualService: vs, host: target.host, gateways });
      }
    }
  }
  return found;
}

function destinationHosts(spec: JsonValue | undefined): string[] {
  const hosts: JsonValue[] = [];
  for (const section of ["http", "tcp", "tls"]) {
    for (const rule of asArray(at(spec, section))) {
      for (const route of asArray(at(rule, "route"))) hosts.push(at(route, "destination", "host") ?? null);
      hosts.push(at(rule, "mirror", "host") ?? null);
      for (const mirror of asArray(at(rule, "mirrors"))) hosts.push(at(mirror, "destination", "host") ?? null);
    }
  }
  return hosts.filter((h): h is string => typeof h === "string" && h !== "");
}

/** The VirtualServices an http rule delegates to (`delegate.namespace` defaults to the parent's). */
function delegatesOf(vs: Resource, virtualServices: Resource[]): Resource[] {
  const namespace = vs.object.metadata.namespace ?? "";
  return asArray(at(vs.object.spec, "http")).flatMap((rule) => {
    const name = at(rule, "delegate", "name");
    if (typeof name !== "string") return [];
    const target = at(rule, "delegate", "namespace");
    const targetNamespace = typeof target === "string" && target !== "" ? target : namespace;
    return virtualServices.filter((candidate) => candidate.object.metadata.name === name && (candidate.object.metadata.namespace ?? "") === targetNamespace);
  });
}
