import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * Deprecated Istio fields that still parse (Istio's `deprecation.FieldAnalyzer`): a fault
 * delay given as the integer `percent` rather than `percentage`, and a Sidecar's
 * `outboundTrafficPolicy.egressProxy`, which the proxy ignores. Istio's analyzer also reports
 * CustomResourceDefinitions of the removed `rbac.istio.io` kinds; meshgate does not read CRDs, and
 * a document of those kinds is already an error (a kind of an Istio group it does not model).
 */
export const deprecatedFields: Analyzer = {
  name: "deprecation.FieldAnalyzer",
  codes: ["IST0002"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const resource of context.ofKind("VirtualService")) {
      asArray(at(resource.object.spec, "http")).forEach((route, i) => {
        const percent = at(route, "fault", "delay", "percent");
        if (typeof percent === "number" && percent > 0) {
          messages.push({ code: "IST0002", resource, key: `http/${i}/fault/delay/percent`, pointer: `/spec/http/${i}/fault/delay/percent`, args: { detail: "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage" } });
        }
      });
    }
    for (const resource of context.ofKind("Sidecar")) {
      const egressProxy = at(resource.object.spec, "outboundTrafficPolicy", "egressProxy");
      if (egressProxy !== undefined && egressProxy !== null) {
        messages.push({ code: "IST0002", resource, key: "outboundTrafficPolicy/egressProxy", pointer: "/spec/outboundTrafficPolicy/egressProxy", args: { detail: "OutboundTrafficPolicy.EgressProxy ignored" } });
      }
    }
    return messages;
  },
};
