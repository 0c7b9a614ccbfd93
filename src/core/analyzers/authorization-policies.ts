import { asArray, asStrings, at, labelsText, selects, stringMap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * AuthorizationPolicies: one must apply to some workload (its selector's, in its namespace or,
 * in the root namespace, the mesh; a selector-less one to its namespace's workloads), and the
 * namespaces its sources name (exact, prefix `p-*` or suffix `*-s`) must exist.
 */
export const authorizationPolicies: Analyzer = {
  name: "authz.AuthorizationPoliciesAnalyzer",
  codes: ["IST0101", "IST0127"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const root = context.mesh.rootNamespace;
    for (const policy of context.ofKind("AuthorizationPolicy")) {
      const namespace = context.namespaceOf(policy);
      if (at(policy.object.spec, "targetRef") === undefined && at(policy.object.spec, "targetRefs") === undefined) {
        const selector = stringMap(at(policy.object.spec, "selector", "matchLabels"));
        const selectorless = Object.keys(selector).length === 0;
        if (!(selectorless && namespace === root)) {
          const matched = context.workloads.some((w) => (namespace === root || w.namespace === namespace) && selects(selector, w.labels));
          if (!matched) messages.push({ code: "IST0127", resource: policy, key: "workloads", pointer: "/spec/selector", args: { labels: labelsText(selector) } });
        }
      }
      asArray(at(policy.object.spec, "rules")).forEach((rule, i) => {
        asArray(at(rule, "from")).forEach((from, j) => {
          for (const field of ["namespaces", "notNamespaces"]) {
            for (const pattern of asStrings(at(from, "source", field))) {
              if ([...context.knownNamespaces].some((ns) => namespaceMatches(pattern, ns))) continue;
              messages.push({ code: "IST0101", resource: policy, key: `ns:${i}:${j}:${field}:${pattern}`, pointer: `/spec/rules/${i}/from/${j}/source/${field}`, args: { reftype: "namespace", refval: pattern } });
            }
          }
        });
      });
    }
    return messages;
  },
};

function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return namespace.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return namespace.endsWith(pattern.slice(1));
  return pattern === namespace;
}
