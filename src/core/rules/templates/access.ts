import type { RuleTemplate } from "../rule.js";
import { allowAllRule } from "./allow-all-rule.js";
import { negativeAllowMatch } from "./negative-allow-match.js";
import { openByDefault } from "./open-by-default.js";
import { podMeshOverride } from "./pod-mesh-override.js";
import { tokenNotRequired } from "./token-not-required.js";
import { weakJwtRule } from "./weak-jwt-rule.js";
import { wildcardEgressHost } from "./wildcard-egress-host.js";

/** The templates of this group, registered in index.ts. */
export const accessTemplates: RuleTemplate[] = [openByDefault, allowAllRule, negativeAllowMatch, tokenNotRequired, weakJwtRule, wildcardEgressHost, podMeshOverride];
