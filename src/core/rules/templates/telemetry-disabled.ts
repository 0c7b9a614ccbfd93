import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { asArray, at, bindsByTargetRef, isSelectorless } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { stableKey } from "../stable-key.js";

/**
 * Telemetry resources that switch off the audit trail for a whole namespace, or for the mesh
 * (selector-less in the root namespace): an access-logging entry with `disabled: true`, a
 * tracing entry with `disableSpanReporting: true` or a sampling rate of 0. A Telemetry that
 * selects workloads is a local tuning, and not a finding.
 */
export const telemetryDisabled = defineTemplate<Record<string, never>>({
  name: "telemetry-disabled",
  paramsSchema: { type: "object", additionalProperties: false, properties: {} },
  check({ index }) {
    const drafts: FindingDraft[] = [];
    for (const telemetry of index.ofKind("Telemetry")) {
      if (!isSelectorless(telemetry) || bindsByTargetRef(telemetry)) continue;
      const scope = policyScope(telemetry, index.rootNamespace);
      const name = `${telemetry.object.metadata.namespace ?? ""}/${telemetry.object.metadata.name}`;
      asArray(at(telemetry.object.spec, "accessLogging")).forEach((entry, i) => {
        if (at(entry, "disabled") !== true) return;
        drafts.push({ resource: telemetry, key: `accessLogging/${stableKey(entry)}`, scope, pointer: `/spec/accessLogging/${i}/disabled`, values: { telemetry: name, what: "access logging", scope: scopeText(scope) } });
      });
      asArray(at(telemetry.object.spec, "tracing")).forEach((entry, i) => {
        const off = at(entry, "disableSpanReporting") === true;
        const unsampled = at(entry, "randomSamplingPercentage") === 0;
        if (!off && !unsampled) return;
        drafts.push({
          resource: telemetry,
          key: `tracing/${stableKey(entry)}`,
          scope,
          pointer: `/spec/tracing/${i}/${off ? "disableSpanReporting" : "randomSamplingPercentage"}`,
          values: { telemetry: name, what: off ? "tracing" : "tracing (sampling 0%)", scope: scopeText(scope) },
        });
      });
    }
    return drafts;
  },
});
