import type { JsonValue } from "../types.js";
import { asArray, asObject, at, asStrings, selects, stringMap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { findGateway } from "./virtual-service-gateways.js";

/** The header prefix by which a VirtualService match routes on a claim of the request's JWT. */
const CLAIM_HEADER = "@request.auth.claims.";

/**
 * A VirtualService that routes on JWT claims (`@request.auth.claims.*` in a match's headers or
 * withoutHeaders) through an Istio Gateway: the claims exist only where a RequestAuthentication
 * validates the token, so every proxy of the gateway needs one (in the root namespace, or the
 * proxy's own, whose selector matches it). The proxies are the repository's workloads the
 * gateway selects, else the mesh's ingress gateway when its labels fit. A missing gateway is
 * the gateway analyzer's message (IST0101), not this one's.
 */
export const jwtClaimRoutes: Analyzer = {
  name: "virtualservice.JWTClaimRouteAnalyzer",
  codes: ["IST0149"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const authentications = context.ofKind("RequestAuthentication");
    const authenticated = (namespace: string, labels: Record<string, string>): boolean =>
      authentications.some((ra) => {
        const own = context.namespaceOf(ra);
        if (own !== context.mesh.rootNamespace && own !== namespace) return false;
        return selects(stringMap(at(ra.object.spec, "selector", "matchLabels")), labels);
      });
    for (const vs of context.ofKind("VirtualService")) {
      const key = claimKey(vs.object.spec);
      if (key === undefined) continue;
      const namespace = context.namespaceOf(vs);
      asStrings(at(vs.object.spec, "gateways")).forEach((name, i) => {
        if (name === "mesh") return;
        const [gwNamespace, gwName] = name.includes("/") ? (name.split("/", 2) as [string, string]) : [namespace, name];
        const gateway = findGateway(context, gwNamespace, gwName);
        if (!gateway || gateway.object.kind !== "Gateway" || !gateway.object.apiVersion.startsWith("networking.istio.io/")) return;
        const selector = stringMap(at(gateway.object.spec, "selector"));
        const gatewayName = `${gwNamespace}/${gwName}`;
        const report = (pod: string): void => {
          messages.push({ code: "IST0149", resource: vs, key: `${gatewayName}|${pod}`, pointer: `/spec/gateways/${i}`, args: { key, gateway: gatewayName, pod } });
        };
        const proxies = context.workloads.filter((w) => selects(selector, w.labels));
        for (const proxy of proxies) if (!authenticated(proxy.namespace, proxy.labels)) report(`${proxy.namespace}/${proxy.name}`);
        const ingress = context.mesh.ingress;
        if (proxies.length === 0 && selects(selector, ingress.selector) && !authenticated(ingress.namespace, ingress.selector)) report(`mesh ingress gateway in ${ingress.namespace}`);
      });
    }
    return messages;
  },
};

function claimKey(spec: JsonValue | undefined): string | undefined {
  for (const route of asArray(at(spec, "http"))) {
    for (const match of asArray(at(route, "match"))) {
      for (const field of ["headers", "withoutHeaders"]) {
        const found = Object.keys(asObject(at(match, field))).find((header) => header.startsWith(CLAIM_HEADER));
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}
