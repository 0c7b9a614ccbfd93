import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";
import { gatewayWorkloads } from "./gateway-workloads.js";

/**
 * A Gateway server's `credentialName` must name a Secret in the namespace of the proxies that
 * serve it (not the Gateway's). A repository that declares no Secret in that namespace leaves
 * them to the cluster (cert-manager, an external store): there the reference is not judged.
 */
export const gatewaySecrets: Analyzer = {
  name: "gateway.SecretAnalyzer",
  codes: ["IST0101"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const secrets = context.ofKind("Secret");
    for (const gateway of context.ofKind("Gateway")) {
      const found = gatewayWorkloads(context, gateway);
      if (found.namespace === undefined) {
        messages.push({ code: "IST0101", resource: gateway, key: "selector", pointer: "/spec/selector", args: { reftype: "selector", refval: found.selector } });
        continue;
      }
      const proxies = found.namespace;
      asArray(at(gateway.object.spec, "servers")).forEach((server, i) => {
        const name = at(server, "tls", "credentialName");
        if (typeof name !== "string" || name === "") return;
        // `namespace/name` names the Secret's namespace; a bare name is the proxies'.
        const [namespace, secret] = name.includes("/") ? (name.split("/", 2) as [string, string]) : [proxies, name];
        const here = secrets.filter((s) => context.namespaceOf(s) === namespace);
        if (here.length === 0 || here.some((s) => s.object.metadata.name === secret)) return;
        messages.push({ code: "IST0101", resource: gateway, key: `credentialName:${name}`, pointer: `/spec/servers/${i}/tls/credentialName`, args: { reftype: "credentialName", refval: name } });
      });
    }
    return messages;
  },
};
