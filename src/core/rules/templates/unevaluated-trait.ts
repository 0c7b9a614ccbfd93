import type { Resource } from "../../types.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

/**
 * Traits of a type nothing renders (RenderResult.unevaluated): KubeVela renders them from a
 * definition the gate does not see, so each use is a finding at the trait's line. The finding
 * names the Application, so that a waiver can name it.
 */
export const unevaluatedTrait = defineTemplate<Record<string, never>>({
  name: "unevaluated-trait",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ render }) {
    return (render.unevaluated ?? []).map((trait): FindingDraft => {
      const resource: Resource = {
        object: { apiVersion: "core.oam.dev/v1beta1", kind: "Application", metadata: { name: trait.app, namespace: trait.namespace } },
        source: { file: trait.file, line: trait.line, app: trait.app, component: trait.component, trait: trait.type },
      };
      return {
        resource,
        key: `${trait.component}|${trait.type}`,
        location: { file: trait.file, line: trait.line },
        values: { app: trait.app, component: trait.component, type: trait.type },
      };
    });
  },
});
