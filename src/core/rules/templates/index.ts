import type { RuleTemplate } from "../rule.js";
import { accessTemplates } from "./access.js";
import { encryptionAndEdgeTemplates } from "./encryption-and-edge.js";
import { istioAnalyzer } from "./istio-analyzer.js";
import { trafficTemplates } from "./traffic.js";

/** The rule templates, by name. The one registry of them: rules name templates from here. */
export const TEMPLATES: ReadonlyMap<string, RuleTemplate> = new Map(
  [...encryptionAndEdgeTemplates, ...accessTemplates, ...trafficTemplates, istioAnalyzer].map((t) => [t.name, t]),
);
