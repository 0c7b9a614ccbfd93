/**
 * Gateway shop/public on the proxies labelled `istio: <selector>`, serving shop.example.com over
 * HTTP on port 80: eight lines, so what follows it in a file starts at line 10.
 */
export function shopGateway(selector = "ingressgateway"): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ${selector} }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ["shop.example.com"]
`;
}

/**
 * VirtualService shop/web for `hosts`, bound to `gateways`, routing to Service web; `metadata`
 * adds keys to its metadata (`, annotations: {…}`), `match` a match to its one HTTP route.
 */
export function webVirtualService(params: { hosts: string; gateways: string; metadata?: string; match?: string }): string {
  const route = params.match === undefined ? "- route" : `- match: ${params.match}\n      route`;
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop${params.metadata ?? ""} }
spec:
  hosts: [${params.hosts}]
  gateways: [${params.gateways}]
  http:
    ${route}: [{ destination: { host: web } }]
`;
}
