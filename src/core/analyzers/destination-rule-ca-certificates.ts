import type { JsonValue } from "../types.js";
import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * DestinationRules that originate TLS (SIMPLE or MUTUAL) without `caCertificates`, at the
 * top level or per port: the server's certificate is not verified. A `credentialName` carries
 * the CA only for a gateway's proxy, i.e. with a workloadSelector; `insecureSkipVerify` says
 * so on purpose.
 */
export const destinationRuleCaCertificates: Analyzer = {
  name: "destinationrule.CaCertificateAnalyzer",
  codes: ["IST0128", "IST0129"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    for (const rule of context.ofKind("DestinationRule")) {
      const spec = rule.object.spec;
      const namespace = context.namespaceOf(rule);
      const host = at(spec, "host");
      const selected = at(spec, "workloadSelector") !== undefined;
      const base = { destinationrule: `${namespace}/${rule.object.metadata.name}`, namespace, host: typeof host === "string" ? host : "" };
      const tls = at(spec, "trafficPolicy", "tls");
      if (unverified(tls, selected)) {
        messages.push({ code: "IST0128", resource: rule, key: "tls", pointer: "/spec/trafficPolicy/tls", args: { ...base, mode: modeOf(tls) } });
      }
      asArray(at(spec, "trafficPolicy", "portLevelSettings")).forEach((setting, i) => {
        const portTls = at(setting, "tls");
        if (!unverified(portTls, selected)) return;
        const number = at(setting, "port", "number");
        messages.push({
          code: "IST0129",
          resource: rule,
          key: `port:${i}`,
          pointer: `/spec/trafficPolicy/portLevelSettings/${i}/tls`,
          args: { ...base, mode: modeOf(portTls), port: typeof number === "number" ? `number:${number}` : "" },
        });
      });
    }
    return messages;
  },
};

function unverified(tls: JsonValue | undefined, selected: boolean): boolean {
  const mode = at(tls, "mode");
  if (mode !== "SIMPLE" && mode !== "MUTUAL") return false;
  if (at(tls, "insecureSkipVerify") === true) return false;
  const ca = at(tls, "caCertificates");
  if (typeof ca === "string" && ca !== "") return false;
  const credential = at(tls, "credentialName");
  return !(typeof credential === "string" && credential !== "" && selected);
}

function modeOf(tls: JsonValue | undefined): string {
  const mode = at(tls, "mode");
  return typeof mode === "string" ? mode : "";
}
