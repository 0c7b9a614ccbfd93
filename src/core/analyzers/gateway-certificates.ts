import type { JsonValue } from "../types.js";
import { asArray, at, stringMap, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * Two Gateways whose servers present the same certificate (the same credentialName, or the
 * same serverCertificate and privateKey), where the second's selector includes the first's
 * (so both run on the first's proxies): HTTP/2 clients that reuse a connection across hosts
 * get 404s.
 */
export const gatewayCertificates: Analyzer = {
  name: "gateway.CertificateAnalyzer",
  codes: ["IST0138"],
  analyze(context) {
    const gateways = context.ofKind("Gateway");
    const messages: AnalyzerMessage[] = [];
    for (const current of gateways) {
      const selector = stringMap(at(current.object.spec, "selector"));
      const currentName = `${context.namespaceOf(current)}/${current.object.metadata.name}`;
      for (const other of gateways) {
        if (other === current) continue;
        const otherSelector = stringMap(at(other.object.spec, "selector"));
        if (!Object.entries(selector).every(([k, v]) => otherSelector[k] === v)) continue;
        const otherName = `${context.namespaceOf(other)}/${other.object.metadata.name}`;
        const shared = asArray(at(current.object.spec, "servers")).some((a) => asArray(at(other.object.spec, "servers")).some((b) => sameCertificate(at(a, "tls"), at(b, "tls"))));
        if (shared) messages.push({ code: "IST0138", resource: current, key: otherName, pointer: "/metadata/name", args: { gateways: `[${currentName} ${otherName}]` } });
      }
    }
    return messages;
  },
};

function sameCertificate(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined || a === null || b === null) return false;
  const text = (tls: JsonValue, field: string): string => {
    const value = at(tls, field);
    return typeof value === "string" ? value : "";
  };
  const [ca, cb] = [text(a, "credentialName"), text(b, "credentialName")];
  if (ca !== "" && cb !== "") return ca === cb;
  if (ca !== "" || cb !== "") return false;
  const [sa, sb] = [text(a, "serverCertificate"), text(b, "serverCertificate")];
  const [ka, kb] = [text(a, "privateKey"), text(b, "privateKey")];
  return sa !== "" && sa === sb && ka !== "" && ka === kb;
}
