import type { Resource } from "../types.js";
import { asStrings, at, hostsOverlap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * VirtualServices bound to the mesh (no gateways, or `mesh` among them) that one namespace sees
 * together and whose hosts overlap: the sidecars apply only one. A VirtualService exported to
 * `*` (the default) is seen in every namespace; one exported to namespaces only there.
 */
export const conflictingMeshGatewayHosts: Analyzer = {
  name: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
  codes: ["IST0109"],
  analyze(context) {
    const entries: { vs: Resource; scope: string; host: string }[] = [];
    for (const vs of context.ofKind("VirtualService")) {
      const gateways = asStrings(at(vs.object.spec, "gateways"));
      if (gateways.length > 0 && !gateways.includes("mesh")) continue;
      const namespace = context.namespaceOf(vs);
      const exportTo = asStrings(at(vs.object.spec, "exportTo"));
      const scopes = exportTo.length === 0 ? ["*"] : exportTo.map((e) => (e === "." ? namespace : e));
      for (const host of asStrings(at(vs.object.spec, "hosts"))) {
        for (const scope of new Set(scopes)) entries.push({ vs, scope, host: context.fqdn(host, namespace) });
      }
    }
    const messages: AnalyzerMessage[] = [];
    const reported = new Set<Resource>();
    // Entries by host, once: a host that is not a wildcard overlaps only itself and the wildcards.
    const byHost = new Map<string, number[]>();
    const wildcards: number[] = [];
    for (const [j, b] of entries.entries()) {
      if (b.host.startsWith("*")) wildcards.push(j);
      else byHost.set(b.host, [...(byHost.get(b.host) ?? []), j]);
    }
    for (const [i, a] of entries.entries()) {
      const candidates = a.host.startsWith("*") ? entries.map((_, j) => j) : [...(byHost.get(a.host) ?? []), ...wildcards];
      const conflicting = candidates.map((j) => ({ b: entries[j] as (typeof entries)[number], j })).filter(({ b, j }) => j !== i && b.vs !== a.vs && (a.scope === "*" || b.scope === "*" || a.scope === b.scope) && hostsOverlap(a.host, b.host)).map(({ b }) => b);
      if (conflicting.length === 0 || reported.has(a.vs)) continue;
      reported.add(a.vs);
      const names = [...new Set([a.vs, ...conflicting.map((c) => c.vs)].map((v) => `${context.namespaceOf(v)}/${v.object.metadata.name}`))].sort();
      messages.push({ code: "IST0109", resource: a.vs, key: a.host, args: { virtualServices: names.join(","), host: a.host } });
    }
    return messages;
  },
};
