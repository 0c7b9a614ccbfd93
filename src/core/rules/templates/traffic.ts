import type { RuleTemplate } from "../rule.js";
import { routeReferences } from "./route-references.js";
import { routeResilience } from "./route-resilience.js";
import { routeToNewSubset } from "./route-to-new-subset.js";
import { routeWeights } from "./route-weights.js";
import { servicePortProtocol } from "./service-port-protocol.js";

/** The templates of this group, registered in index.ts. */
export const trafficTemplates: RuleTemplate[] = [routeReferences, routeWeights, routeToNewSubset, routeResilience, servicePortProtocol];
