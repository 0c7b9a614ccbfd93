import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

/**
 * WasmPlugins: code of the plugin author's choosing runs inside the proxies it selects, with
 * every request in hand (in phase AUTHN, ahead of Istio's own authentication). The finding
 * carries the plugin's scope and image, so that a wider selector or another image is new.
 */
export const wasmPlugin = defineTemplate<Record<string, never>>({
  name: "wasm-plugin",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    return index.ofKind("WasmPlugin").map((plugin): FindingDraft => {
      const scope = policyScope(plugin, index.rootNamespace);
      const url = at(plugin.object.spec, "url");
      const phase = at(plugin.object.spec, "phase");
      return {
        resource: plugin,
        key: "plugin",
        scope,
        value: { text: typeof url === "string" ? url : "?" },
        pointer: "/spec/url",
        values: {
          plugin: `${plugin.object.metadata.namespace ?? ""}/${plugin.object.metadata.name}`,
          url: typeof url === "string" ? url : "(no url)",
          phase: typeof phase === "string" ? phase : "UNSPECIFIED_PHASE",
          scope: scopeText(scope),
        },
      };
    });
  },
});
