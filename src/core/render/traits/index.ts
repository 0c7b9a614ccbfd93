import type { TraitDefinition } from "../trait.js";
import { accessPolicy } from "./access-policy.js";
import { canaryTraffic } from "./catalog/canary-traffic.js";
import { httpRoute } from "./catalog/http-route.js";
import { httpsRoute } from "./catalog/https-route.js";
import { istioGateway } from "./catalog/istio-gateway.js";
import { istioVs } from "./catalog/istio-vs.js";
import { kruiseRollout } from "./catalog/kruise-rollout.js";
import { tcpRoute } from "./catalog/tcp-route.js";
import { circuitBreaker } from "./circuit-breaker.js";
import { egress } from "./egress.js";
import { faultInjection } from "./fault-injection.js";
import { httpResilience } from "./http-resilience.js";
import { jwtAuth } from "./jwt-auth.js";
import { expose } from "./kubevela/expose.js";
import { kubevelaGateway } from "./kubevela/gateway.js";
import { INERT_TRAITS } from "./kubevela/inert.js";
import { pureIngress } from "./kubevela/pure-ingress.js";
import { meshIngress } from "./mesh-ingress.js";
import { mtls } from "./mtls.js";
import { sidecarScope } from "./sidecar-scope.js";
import { trafficSplit } from "./traffic-split.js";

/**
 * meshgate's own mesh traits: the vocabulary `definitions/` ships as TraitDefinitions, so that
 * a KubeVela cluster applies what the gate judged.
 */
export const MESH_TRAITS: readonly TraitDefinition[] = [meshIngress, trafficSplit, httpResilience, circuitBreaker, mtls, jwtAuth, accessPolicy, egress, faultInjection, sidecarScope];

/**
 * The traits meshgate knows, by type name: the one registry of them. meshgate's own mesh
 * traits; KubeVela's built-in traits, rendered as their definitions render them or known to
 * have no mesh effect (`inert`); the KubeVela catalog's Istio and Gateway API traits.
 */
export const TRAITS: ReadonlyMap<string, TraitDefinition> = new Map(
  [
    ...MESH_TRAITS,
    kubevelaGateway, expose, pureIngress, ...INERT_TRAITS,
    istioGateway, canaryTraffic, istioVs, httpRoute, httpsRoute, tcpRoute, kruiseRollout,
  ].map((t) => [t.type, t]),
);
