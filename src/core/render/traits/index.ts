import type { TraitDefinition } from "../trait.js";
import { accessPolicy } from "./access-policy.js";
import { circuitBreaker } from "./circuit-breaker.js";
import { egress } from "./egress.js";
import { faultInjection } from "./fault-injection.js";
import { httpResilience } from "./http-resilience.js";
import { jwtAuth } from "./jwt-auth.js";
import { meshIngress } from "./mesh-ingress.js";
import { mtls } from "./mtls.js";
import { sidecarScope } from "./sidecar-scope.js";
import { trafficSplit } from "./traffic-split.js";

/** The mesh traits meshgate renders, by type name. The one registry of them. */
export const TRAITS: ReadonlyMap<string, TraitDefinition> = new Map(
  [meshIngress, trafficSplit, httpResilience, circuitBreaker, mtls, jwtAuth, accessPolicy, egress, faultInjection, sidecarScope].map((t) => [t.type, t]),
);
