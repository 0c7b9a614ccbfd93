import { at, stringMap, selects, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/** The label Istio puts on the pods of a Gateway API Gateway it deploys. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/**
 * A policy (RequestAuthentication, AuthorizationPolicy, WasmPlugin, Telemetry) that selects a
 * Gateway API gateway's pods by label: Istio ignores selectors on those, only `targetRefs` bind.
 */
export const gatewayApiSelectors: Analyzer = {
  name: "k8sgateway.SelectorAnalyzer",
  codes: ["IST0166"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const kind of ["RequestAuthentication", "AuthorizationPolicy", "WasmPlugin", "Telemetry"]) {
      for (const policy of context.ofKind(kind)) {
        const spec = policy.object.spec;
        if (at(spec, "targetRef") !== undefined || at(spec, "targetRefs") !== undefined) continue;
        const selector = stringMap(at(spec, "selector", "matchLabels"));
        if (Object.keys(selector).length === 0) continue;
        const namespace = context.namespaceOf(policy);
        const pod = context.workloads.find((w) => w.namespace === namespace && w.labels[GATEWAY_NAME_LABEL] !== undefined && selects(selector, w.labels));
        if (pod) messages.push({ code: "IST0166", resource: policy, key: "selector", pointer: "/spec/selector", args: { gateway: pod.labels[GATEWAY_NAME_LABEL] ?? "" } });
      }
    }
    return messages;
  },
};
