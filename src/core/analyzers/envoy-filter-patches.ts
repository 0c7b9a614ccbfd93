import { asArray, at, type Analyzer, type AnalyzerMessage } from "./analyzer.js";

/**
 * Insertions relative to another filter: their result depends on what other EnvoyFilters did
 * first. (A MERGE into a filter chain found by its match is not judged so: Istio's own test
 * of one expects no message.)
 */
const RELATIVE = new Set(["INSERT_BEFORE", "INSERT_AFTER"]);
/** `applyTo` values where Istio ignores ADD and REMOVE. */
const ROUTE_LEVEL = new Set(["ROUTE_CONFIGURATION", "HTTP_ROUTE"]);
/** `applyTo` values that REPLACE can apply to. */
const REPLACEABLE = new Set(["HTTP_FILTER", "NETWORK_FILTER", "VIRTUAL_HOST"]);

/**
 * EnvoyFilter patches that cannot apply as written: ADD or REMOVE on a route-level target
 * (ignored), REPLACE outside filters and virtual hosts, and relative operations without a
 * priority (applied in an order nothing fixes), worse when another patch of the same filter
 * name is bound to a proxy version (the order changes during an upgrade). Filters are read in
 * namespace/name order, patches in order, as Istio does; a patch without `patch` ends the filter.
 */
export const envoyFilterPatches: Analyzer = {
  name: "envoyfilter.EnvoyPatchAnalyzer",
  codes: ["IST0151", "IST0152", "IST0153", "IST0154", "IST0155"],
  analyze(context) {
    const messages: AnalyzerMessage[] = [];
    const versioned = new Set<string>();
    const filters = [...context.ofKind("EnvoyFilter")].sort((a, b) => {
      const ka = `${context.namespaceOf(a)}/${a.object.metadata.name}`;
      const kb = `${context.namespaceOf(b)}/${b.object.metadata.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (const filter of filters) {
      const priority = at(filter.object.spec, "priority");
      const prioritized = typeof priority === "number" && priority !== 0;
      const patches = asArray(at(filter.object.spec, "configPatches"));
      for (const [i, patch] of patches.entries()) {
        const body = at(patch, "patch");
        if (body === undefined || body === null) break;
        const pointer = `/spec/configPatches/${i}`;
        const value = at(body, "value");
        const valueName = at(value, "name");
        const filterName = at(patch, "match", "listener", "filterChain", "filter", "name");
        const name = valueName !== undefined ? JSON.stringify(valueName) : value !== undefined && typeof filterName === "string" ? JSON.stringify(filterName) : "";
        const operation = at(body, "operation");
        const applyTo = at(patch, "applyTo");
        const report = (code: string): void => {
          messages.push({ code, resource: filter, key: code, pointer, args: {} });
        };
        const relative = (): void => {
          if (prioritized) return;
          report(versioned.has(name) ? "IST0155" : "IST0151");
        };
        if (operation === "ADD") {
          if (typeof applyTo === "string" && ROUTE_LEVEL.has(applyTo)) report("IST0153");
        } else if (operation === "REMOVE") {
          if (typeof applyTo === "string" && ROUTE_LEVEL.has(applyTo)) report("IST0154");
          else relative();
        } else if (operation === "REPLACE") {
          if (typeof applyTo !== "string" || !REPLACEABLE.has(applyTo)) report("IST0152");
          else relative();
        } else if (typeof operation === "string" && RELATIVE.has(operation)) {
          relative();
        }
        const proxyVersion = at(patch, "match", "proxy", "proxyVersion");
        if (typeof proxyVersion === "string" && proxyVersion !== "") versioned.add(name);
      }
    }
    return messages;
  },
};
