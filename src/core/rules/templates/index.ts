import type { RuleTemplate } from "../rule.js";
import { accessTemplates } from "./access.js";
import { bypassTemplates } from "./bypass.js";
import { encryptionAndEdgeTemplates } from "./encryption-and-edge.js";
import { scopeTemplates } from "./scope.js";
import { istioAnalyzer } from "./istio-analyzer.js";
import { trafficTemplates } from "./traffic.js";

/** The rule templates, by name. The one registry of them: rules name templates from here. */
export const TEMPLATES: ReadonlyMap<string, RuleTemplate> = new Map(
  [...encryptionAndEdgeTemplates, ...accessTemplates, ...trafficTemplates, ...scopeTemplates, ...bypassTemplates, istioAnalyzer].map((t) => [t.name, t]),
);
