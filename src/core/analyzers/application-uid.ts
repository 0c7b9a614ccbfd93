import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** The user ID the sidecar runs as: traffic of an application running as it escapes capture. */
const PROXY_UID = 1337;

/** A workload whose pod or application containers run as UID 1337, the sidecar's own. */
export const applicationUid: Analyzer = {
  name: "deployment.ApplicationUIDAnalyzer",
  codes: ["IST0144"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const workload of context.workloads) {
      const spec = at(workload.pod, "spec");
      const podUid = at(spec, "securityContext", "runAsUser") === PROXY_UID;
      const containers = [...asArray(at(spec, "containers")), ...asArray(at(spec, "initContainers"))];
      const containerUid = containers.some((c) => at(c, "name") !== "istio-proxy" && at(c, "securityContext", "runAsUser") === PROXY_UID);
      if (podUid || containerUid) messages.push({ code: "IST0144", resource: workload.resource, key: "uid", args: {} });
    }
    return messages;
  },
};
