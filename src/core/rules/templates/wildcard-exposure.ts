import { at, asStrings } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { isGatewayBound } from "./ingress-routes.js";

/**
 * Configuration that reaches further than one names: a gateway-bound VirtualService claiming a
 * wildcard host, and a MESH_EXTERNAL ServiceEntry exported to every namespace (no `exportTo`, an
 * empty one, or `*`). `location` defaults to MESH_EXTERNAL in Istio.
 */
export const wildcardExposure = defineTemplate<Record<string, never>>({
  name: "wildcard-exposure",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    const routes = index.ofKind("VirtualService").filter(isGatewayBound).flatMap((vs) =>
      asStrings(at(vs.object.spec, "hosts")).flatMap((host, i): FindingDraft[] =>
        host.includes("*") ? [{ resource: vs, key: `hosts[${host}]`, pointer: `/spec/hosts/${i}`, values: { what: `gateway-bound host ${host}` } }] : [],
      ),
    );
    const entries = index.ofKind("ServiceEntry").flatMap((se): FindingDraft[] => {
      const spec = se.object.spec;
      const location = at(spec, "location") ?? "MESH_EXTERNAL";
      if (location !== "MESH_EXTERNAL") return [];
      const exportTo = asStrings(at(spec, "exportTo"));
      if (exportTo.length > 0 && !exportTo.includes("*")) return [];
      const hosts = asStrings(at(spec, "hosts"));
      const name = `${se.object.metadata.namespace ?? ""}/${se.object.metadata.name}`;
      const serves = hosts.length > 0 ? `for ${hosts.join(", ")}` : "with no hosts";
      return [{ resource: se, key: "exportTo", pointer: "/spec/exportTo", values: { what: `MESH_EXTERNAL ServiceEntry ${name} ${serves}, exported to every namespace` } }];
    });
    return [...routes, ...entries];
  },
});
