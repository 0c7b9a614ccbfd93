import type { Resource } from "../types.js";
import { asArray, at, selects, stringMap, type AnalysisContext, type AnalyzedWorkload, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * A Deployment in the mesh selected by several Services that use one port with different
 * protocols (IST0116: the sidecar serves one protocol per port), or that send different ports
 * to the same target port (IST0137). Waypoints and Deployments out of the mesh are left alone.
 */
export const deploymentServices: Analyzer = {
  name: "deployment.ServiceAssociationAnalyzer",
  codes: ["IST0116", "IST0137"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    // Services by namespace, once: a workload is only ever selected by its own namespace's.
    const servicesIn = new Map<string, Resource[]>();
    for (const service of context.ofKind("Service")) {
      const list = servicesIn.get(context.namespaceOf(service));
      if (list) list.push(service);
      else servicesIn.set(context.namespaceOf(service), [service]);
    }
    for (const workload of context.workloads) {
      if (workload.kind !== "Deployment" || !inMesh(context, workload)) continue;
      if (workload.labels["gateway.networking.k8s.io/gateway-name"] !== undefined) continue;
      const services = (servicesIn.get(workload.namespace) ?? []).filter((s) => {
        if (context.namespaceOf(s) !== workload.namespace) return false;
        const selector = stringMap(at(s.object.spec, "selector"));
        return Object.keys(selector).length > 0 && selects(selector, workload.labels);
      });
      if (services.length < 2) continue;
      const byPort = new Map<number, { service: Resource; protocol: string }[]>();
      const byTarget = new Map<string, { service: Resource; port: number }[]>();
      for (const service of services) {
        for (const port of asArray(at(service.object.spec, "ports"))) {
          const number = at(port, "port");
          if (typeof number !== "number") continue;
          byPort.set(number, [...(byPort.get(number) ?? []), { service, protocol: protocolOf(port) }]);
          const target = at(port, "targetPort");
          const targetKey = typeof target === "number" || typeof target === "string" ? String(target) : String(number);
          byTarget.set(targetKey, [...(byTarget.get(targetKey) ?? []), { service, port: number }]);
        }
      }
      const deployment = `${workload.name}.${workload.namespace}`;
      for (const [port, uses] of byPort) {
        if (new Set(uses.map((u) => u.protocol)).size < 2) continue;
        messages.push({ code: "IST0116", resource: workload.resource, key: `port:${port}`, args: { deployment, port: String(port), services: names(uses.map((u) => u.service)) } });
      }
      for (const [target, uses] of byTarget) {
        const ports = [...new Set(uses.map((u) => u.port))].sort((a, b) => a - b);
        if (ports.length < 2) continue;
        messages.push({ code: "IST0137", resource: workload.resource, key: `target:${target}`, args: { deployment, services: names(uses.map((u) => u.service)), targetPort: target, ports: `[${ports.join(" ")}]` } });
      }
    }
    return messages;
  },
};

function names(services: Resource[]): string {
  return [...new Set(services.map((s) => s.object.metadata.name))].sort().join(", ");
}

/** Istio's protocol of a Service port: `appProtocol`, else the name's prefix, else TCP (UDP and SCTP from `protocol`). */
function protocolOf(port: unknown): string {
  const transport = at(port as never, "protocol");
  if (transport === "UDP" || transport === "SCTP") return transport;
  const appProtocol = at(port as never, "appProtocol");
  if (typeof appProtocol === "string" && appProtocol !== "") return appProtocol.toLowerCase();
  const name = at(port as never, "name");
  if (typeof name === "string" && name !== "") return (name.split("-")[0] ?? "").toLowerCase();
  return "tcp";
}

/**
 * Whether the workload's pods get a sidecar: the `sidecar.istio.io/inject` label or annotation
 * decides, else its Namespace's labels; a namespace the repository does not declare is
 * taken to be in the mesh.
 */
export function inMesh(context: AnalysisContext, workload: AnalyzedWorkload): boolean {
  const inject = workload.labels["sidecar.istio.io/inject"] ?? workload.annotations["sidecar.istio.io/inject"];
  if (inject !== undefined) return inject.toLowerCase() === "true";
  const namespace = context.namespaces.get(workload.namespace);
  if (!namespace) return true;
  const labels = namespace.object.metadata.labels ?? {};
  return labels["istio-injection"] === "enabled" || labels["istio.io/rev"] !== undefined;
}
