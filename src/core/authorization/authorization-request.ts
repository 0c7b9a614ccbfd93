/** One request as an AuthorizationPolicy sees it at the destination's proxy. */
export interface AuthorizationRequest {
  /** `http` when the destination port speaks HTTP (or is sniffed as HTTP); otherwise `tcp`. */
  protocol: "http" | "tcp";
  /** The destination (container) port. */
  port: number;
  /** The peer's mTLS identity without `spiffe://` (`cluster.local/ns/shop/sa/web`); absent for plaintext. */
  principal?: string;
  /** The validated JWT's `iss/sub`; absent without a token. */
  requestPrincipal?: string;
  /** The JWT's claims, each as a list of strings (`aud`, `groups`, …). */
  claims: Record<string, string[]>;
  /** The direct peer's address. */
  sourceIp: string;
  /** The original client's address (from X-Forwarded-For as the gateway trusts it). */
  remoteIp: string;
  destinationIp: string;
  /** HTTP only: the host (authority), method and path (without query). */
  host?: string;
  method?: string;
  path?: string;
  /** HTTP only: request headers by lower-case name. */
  headers: Record<string, string>;
  /** The TLS server name, when the connection carries one. */
  sni?: string;
}

/** The namespace, service account and trust domain of an mTLS principal `<td>/ns/<ns>/sa/<sa>`. */
export function peerOf(principal: string | undefined): { trustDomain: string; namespace: string; serviceAccount: string } | undefined {
  const match = principal === undefined ? null : /^(.+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  if (!match) return undefined;
  const [, trustDomain = "", namespace = "", account = ""] = match;
  return { trustDomain, namespace, serviceAccount: `${namespace}/${account}` };
}
