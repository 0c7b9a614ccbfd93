import type { RuleTemplate } from "../rule.js";
import { meshOutOfScope } from "./mesh-out-of-scope.js";
import { unevaluatedTrait } from "./unevaluated-trait.js";

/** The templates of this group, registered in index.ts: what the gate cannot see or evaluate. */
export const scopeTemplates: RuleTemplate[] = [meshOutOfScope, unevaluatedTrait];
