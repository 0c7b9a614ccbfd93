import { asArray, at, type MeshIndex, type Workload } from "../rules/mesh-index.js";

export interface WorkloadPort {
  port: number;
  protocol: "http" | "tcp";
}

const TCP_PROTOCOLS = ["tcp", "tls", "mongo", "mysql", "redis", "https"];

function protocolOf(name: string | undefined, appProtocol: string | undefined): "http" | "tcp" {
  const declared = (appProtocol ?? name?.split("-")[0] ?? "").toLowerCase();
  return TCP_PROTOCOLS.includes(declared) ? "tcp" : "http";
}

/**
 * The ports a workload serves, as its proxy sees them: its containers' ports and the target
 * ports of the Services that select it. A port whose protocol no Service declares is sniffed,
 * so it may carry HTTP: it counts as HTTP (the stricter reading for the token requirement).
 */
export function workloadPorts(workload: Workload, index: MeshIndex): WorkloadPort[] {
  const ports = new Map<number, WorkloadPort>();
  for (const container of [...asArray(at(workload.pod, "spec", "containers")), ...asArray(at(workload.pod, "spec", "initContainers")).filter((c) => at(c, "restartPolicy") === "Always")]) {
    for (const p of asArray(at(container, "ports"))) {
      const port = at(p, "containerPort");
      const name = at(p, "name");
      if (typeof port === "number" && !ports.has(port)) ports.set(port, { port, protocol: protocolOf(typeof name === "string" ? name : undefined, undefined) });
    }
  }
  for (const service of index.services.values()) {
    if (service.namespace !== workload.namespace || Object.keys(service.selector).length === 0) continue;
    if (!Object.entries(service.selector).every(([k, v]) => workload.labels[k] === v)) continue;
    const raw = asArray(at(service.resource.object.spec, "ports"));
    for (const p of service.ports) {
      const entry = raw.find((r) => at(r, "port") === p.port);
      const target = at(entry, "targetPort");
      const port = typeof target === "number" ? target : p.port;
      ports.set(port, { port, protocol: protocolOf(p.name, p.appProtocol) });
    }
  }
  return [...ports.values()].sort((a, b) => a.port - b.port);
}
