import type { RuleTemplate } from "../rule.js";
import { meshOutOfScope } from "./mesh-out-of-scope.js";

/** The templates of this group, registered in index.ts. */
export const scopeTemplates: RuleTemplate[] = [meshOutOfScope];
