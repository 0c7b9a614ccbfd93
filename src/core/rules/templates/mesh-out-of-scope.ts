import type { Resource, UnreadDocument } from "../../types.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

const REASONS: Record<UnreadDocument["reason"], string> = {
  excluded: "a path manifests.exclude leaves out",
  "not-included": "a path outside manifests.include",
  unparsable: "a file that is not valid YAML or JSON",
};

/**
 * Mesh documents the render could not see (RenderResult.unread): in a path the config leaves
 * out, or in text that does not parse. kubectl or a GitOps controller may still apply them, so
 * each is a finding at its file and line, never a silent "no mesh changes".
 */
export const meshOutOfScope = defineTemplate<Record<string, never>>({
  name: "mesh-out-of-scope",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ render }) {
    return (render.unread ?? []).map((document): FindingDraft => {
      const name = document.name ?? `(unnamed, line ${document.line})`;
      // A stand-in for the object the gate could not read, so the finding names its kind and name.
      const resource: Resource = {
        object: { apiVersion: document.apiVersion, kind: document.kind, metadata: { name, ...(document.namespace !== undefined ? { namespace: document.namespace } : {}) } },
        source: { file: document.file, line: document.line },
      };
      return {
        resource,
        key: `${document.file}|${document.kind}|${name}`,
        location: { file: document.file, line: document.line },
        values: { kind: document.kind, apiVersion: document.apiVersion, name, file: document.file, line: document.line, where: REASONS[document.reason] },
      };
    });
  },
});
