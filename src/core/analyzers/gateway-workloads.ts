import type { Resource } from "../types.js";
import { asArray, at, labelsText, selects, stringMap, type AnalysisContext } from "./analyzer.js";

/** Where an Istio Gateway runs: the namespace of the proxies its selector picks, and the ports their Services expose. */
export interface GatewayWorkloads {
  selector: string;
  /** Undefined when no workload matches (neither in the repository nor the mesh's ingress). */
  namespace: string | undefined;
  /** TCP ports (service port and target port) of the Services selecting those proxies. */
  ports: Set<number>;
}

/**
 * The proxies a Gateway selects: the repository's workloads in any namespace whose labels its
 * selector matches, else the mesh's ingress gateway when its labels fit (installed outside
 * the repository, with the default install's ports unless a Service of the repository selects it).
 */
export function gatewayWorkloads(context: AnalysisContext, gateway: Resource): GatewayWorkloads {
  const selector = stringMap(at(gateway.object.spec, "selector"));
  // Gateways mostly share a few selectors: what a selector picks is found once per revision
  // (the answer is shared, so callers only read it).
  const cache = gatewayCaches.get(context) ?? new Map<string, GatewayWorkloads>();
  gatewayCaches.set(context, cache);
  const key = JSON.stringify(Object.entries(selector));
  const cached = cache.get(key);
  if (cached) return cached;
  const found = workloadsSelected(context, selector);
  cache.set(key, found);
  return found;
}

const gatewayCaches = new WeakMap<AnalysisContext, Map<string, GatewayWorkloads>>();

function workloadsSelected(context: AnalysisContext, selector: Record<string, string>): GatewayWorkloads {
  const text = labelsText(selector);
  const ports = new Set<number>();
  const matched = context.workloads.filter((w) => selects(selector, w.labels));
  if (matched.length > 0) {
    for (const workload of matched) {
      for (const service of context.ofKind("Service")) {
        if (context.namespaceOf(service) !== workload.namespace) continue;
        const serviceSelector = stringMap(at(service.object.spec, "selector"));
        if (!selects(serviceSelector, workload.labels)) continue;
        for (const port of asArray(at(service.object.spec, "ports"))) {
          const protocol = at(port, "protocol");
          if (protocol !== undefined && protocol !== "TCP") continue;
          const number = at(port, "port");
          const target = at(port, "targetPort");
          if (typeof number === "number") ports.add(number);
          if (typeof target === "number") ports.add(target);
        }
      }
    }
    return { selector: text, namespace: matched[0]?.namespace, ports };
  }
  const ingress = context.mesh.ingress;
  if (selects(selector, ingress.selector)) {
    for (const p of ingress.ports) {
      ports.add(p.port);
      ports.add(p.targetPort);
    }
    return { selector: text, namespace: ingress.namespace, ports };
  }
  return { selector: text, namespace: undefined, ports };
}
