import { asArray, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";

interface WildcardEgressHostParams {
  /** The ServiceEntry locations checked (an absent `location` is Istio's MESH_EXTERNAL). */
  locations: string[];
  /** Suffixes under which anyone can register a name: a wildcard right below one admits them all. */
  publicSuffixes: string[];
}

/**
 * External ServiceEntry hosts that open egress to the whole internet, or to every name anyone
 * can register under a public suffix: `*`, `*.com`, `*.co.uk`, and wildcards that hold a public
 * suffix further down (`*.amazonaws.com` holds `s3.amazonaws.com`, so every bucket). A wildcard
 * under a registered domain (`*.example.com`) is the owner's to vouch for, and is not a finding.
 */
export const wildcardEgressHost = defineTemplate<WildcardEgressHostParams>({
  name: "wildcard-egress-host",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["locations", "publicSuffixes"],
    properties: {
      locations: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: ["MESH_EXTERNAL", "MESH_INTERNAL"] } },
      publicSuffixes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" } },
    },
  },
  check({ index }, { locations, publicSuffixes }) {
    const suffixes = new Set(publicSuffixes);
    const drafts: FindingDraft[] = [];
    for (const entry of index.ofKind("ServiceEntry")) {
      if (!entry.object.apiVersion.startsWith("networking.istio.io/")) continue;
      const location = at(entry.object.spec, "location") ?? "MESH_EXTERNAL";
      if (typeof location !== "string" || !locations.includes(location)) continue;
      asArray(at(entry.object.spec, "hosts")).forEach((host, i) => {
        if (typeof host !== "string") return;
        const name = host.trim().toLowerCase().replace(/\.$/, "");
        const scope = name === "*" ? "every host" : name.startsWith("*.") ? suffixScope(name.slice(2), suffixes) : undefined;
        if (!scope) return;
        drafts.push({
          resource: entry,
          key: `hosts/${name}`,
          pointer: `/spec/hosts/${i}`,
          values: { entry: `${entry.object.metadata.namespace ?? ""}/${entry.object.metadata.name}`, host, scope },
        });
      });
    }
    return drafts;
  },
});

/** What a wildcard `*.<base>` admits when a public suffix is `base` or lies under it; undefined otherwise. */
function suffixScope(base: string, suffixes: ReadonlySet<string>): string | undefined {
  if (suffixes.has(base)) return `every name registered under the public suffix .${base}`;
  const held = [...suffixes].filter((s) => s.endsWith(`.${base}`)).sort();
  return held.length > 0 ? `every name registered under the public suffix${held.length > 1 ? "es" : ""} ${held.map((s) => `.${s}`).join(", ")} it holds` : undefined;
}
