import { policyScope } from "../../authorization/policy-scope.js";
import type { JsonValue } from "../../types.js";
import { asArray, at, bindsByTargetRef, isSelectorless } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { stableKey } from "../stable-key.js";

interface EnvoyFilterPatchParams {
  /** The Envoy filters that enforce authentication, authorization and encryption. */
  guardedFilters: string[];
  /** Patch operations that take a matched filter away, change it, or put another ahead of it. */
  guardedOperations: string[];
  /** Operations that put a filter ahead of every other one of its chain (the guarded ones included). */
  firstOperations: string[];
  /** Keys of a patch value that configure TLS (a transport socket or its context). */
  tlsKeys: string[];
}

const names = { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } } as const;

/**
 * EnvoyFilters that rewrite what enforces security in the proxy: a patch that removes,
 * replaces, merges into or inserts before the RBAC, JWT, ext_authz or TLS filters (a filter ahead
 * of RBAC answers requests RBAC never sees), one that inserts a filter first in a chain, one that
 * adds a guarded filter of its own, one that configures a transport socket (TLS) by hand; and
 * any EnvoyFilter that applies mesh-wide (selector-less in the root namespace). Every
 * EnvoyFilter is a security-relevant change (CHG-002); these are findings too.
 */
export const envoyFilterPatch = defineTemplate<EnvoyFilterPatchParams>({
  name: "envoy-filter-patch",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["guardedFilters", "guardedOperations", "firstOperations", "tlsKeys"],
    properties: { guardedFilters: names, guardedOperations: names, firstOperations: names, tlsKeys: names },
  },
  check({ index }, params) {
    const drafts: FindingDraft[] = [];
    for (const filter of index.ofKind("EnvoyFilter")) {
      const scope = policyScope(filter, index.rootNamespace);
      const name = `${filter.object.metadata.namespace ?? ""}/${filter.object.metadata.name}`;
      if (filter.object.metadata.namespace === index.rootNamespace && isSelectorless(filter) && !bindsByTargetRef(filter)) {
        drafts.push({ resource: filter, key: "mesh-wide", scope, values: { filter: name, patch: "every patch", reason: "it applies to every proxy of the mesh (selector-less in the root namespace)" } });
      }
      asArray(at(filter.object.spec, "configPatches")).forEach((patch, i) => {
        const reason = patchReason(patch, params);
        if (!reason) return;
        drafts.push({ resource: filter, key: `configPatches/${stableKey(patch)}`, scope, pointer: `/spec/configPatches/${i}`, values: { filter: name, patch: `configPatches[${i}]`, reason } });
      });
    }
    return drafts;
  },
});

function patchReason(patch: JsonValue, params: EnvoyFilterPatchParams): string | undefined {
  const operation = at(patch, "patch", "operation");
  const op = typeof operation === "string" ? operation : "";
  const filterMatch = at(patch, "match", "listener", "filterChain", "filter");
  const matched = [at(filterMatch, "name"), at(filterMatch, "subFilter", "name")].filter((n): n is string => typeof n === "string");
  const guarded = matched.find((n) => params.guardedFilters.includes(n));
  if (guarded && params.guardedOperations.includes(op)) return `${op} on ${guarded}`;
  const applyTo = at(patch, "applyTo");
  // A filter patch whose match names no filter (an empty or absent `match`) applies to every
  // filter of every chain it reaches, the security filters included.
  const filterPatch = applyTo === "HTTP_FILTER" || applyTo === "NETWORK_FILTER";
  if (filterPatch && matched.length === 0 && params.guardedOperations.includes(op)) return `${op} on every filter of the chain (its match names no filter), the authorization filters included`;
  if (params.firstOperations.includes(op) && filterPatch) return `${op} puts a filter ahead of the authorization filters`;
  const value = at(patch, "patch", "value");
  const added = at(value, "name");
  if (typeof added === "string" && params.guardedFilters.includes(added)) return `${op || "a patch"} writes its own ${added}`;
  const tls = findKey(value, params.tlsKeys);
  if (tls) return `${op || "a patch"} configures TLS by hand (${tls})`;
  return undefined;
}

/** The first of the keys found anywhere in a value. */
function findKey(value: JsonValue | undefined, keys: readonly string[]): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (keys.includes(k)) return k;
    const deeper = findKey(v, keys);
    if (deeper) return deeper;
  }
  return undefined;
}
