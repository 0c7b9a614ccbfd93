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
    // Only gateways that share a certificate can conflict: file each under its servers'
    // certificates, so that a render with thousands of gateways is not a scan of every pair.
    const byCertificate = new Map<string, number[]>();
    for (const [index, gateway] of gateways.entries()) {
      for (const server of asArray(at(gateway.object.spec, "servers"))) {
        const key = certificateKey(at(server, "tls"));
        if (key === undefined) continue;
        const list = byCertificate.get(key) ?? [];
        if (list[list.length - 1] !== index) list.push(index);
        byCertificate.set(key, list);
      }
    }
    for (const current of gateways) {
      const selector = stringMap(at(current.object.spec, "selector"));
      const currentName = `${context.namespaceOf(current)}/${current.object.metadata.name}`;
      const candidates = new Set<number>();
      for (const server of asArray(at(current.object.spec, "servers"))) {
        const key = certificateKey(at(server, "tls"));
        for (const index of key === undefined ? [] : (byCertificate.get(key) ?? [])) candidates.add(index);
      }
      for (const index of [...candidates].sort((a, b) => a - b)) {
        const other = gateways[index];
        if (other === undefined || other === current) continue;
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

/** A key that two servers' `tls` share exactly when `sameCertificate` holds for them; none when it never holds. */
function certificateKey(tls: JsonValue | undefined): string | undefined {
  if (tls === undefined || tls === null) return undefined;
  const text = (field: string): string => {
    const value = at(tls, field);
    return typeof value === "string" ? value : "";
  };
  const credentialName = text("credentialName");
  if (credentialName !== "") return `credential\u0000${credentialName}`;
  const [certificate, key] = [text("serverCertificate"), text("privateKey")];
  return certificate !== "" && key !== "" ? `files\u0000${certificate}\u0000${key}` : undefined;
}
