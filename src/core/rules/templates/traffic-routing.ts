import type { JsonValue, Resource } from "../../types.js";
import { asArray, asStrings, at, type MeshIndex } from "../mesh-index.js";

// What the traffic rules (TRAF-001…003) read of VirtualServices, DestinationRules and
// ServiceEntries, with Istio's semantics for hosts and weights. Raw documents may hold anything:
// every field is read defensively.

const NETWORKING_GROUP = "networking.istio.io";

/** The Istio networking resources of a kind (a Knative or Gateway API kind of the same name is not one). */
export function networkingResources(index: MeshIndex, kind: string): Resource[] {
  return index.ofKind(kind).filter((r) => r.object.apiVersion.split("/")[0] === NETWORKING_GROUP);
}

export type RouteSection = "http" | "tcp" | "tls";
const SECTIONS: readonly RouteSection[] = ["http", "tcp", "tls"];

/** One routing rule of a VirtualService. */
export interface VirtualServiceRoute {
  section: RouteSection;
  index: number;
  rule: JsonValue;
  /** JSON pointer of the rule, e.g. `/spec/http/0`. */
  pointer: string;
  /** For messages: `http[0] "default"`. */
  label: string;
  /**
   * For finding keys: the rule's name when it has one (`http/default`), else its position
   * (`http/#0`), so that renaming or reordering other rules leaves the key alone where possible.
   */
  key: string;
}

export function routesOf(virtualService: Resource): VirtualServiceRoute[] {
  return SECTIONS.flatMap((section) =>
    asArray(at(virtualService.object.spec, section)).map((rule, index): VirtualServiceRoute => {
      const name = at(rule, "name");
      const named = typeof name === "string" && name !== "";
      return {
        section,
        index,
        rule,
        pointer: `/spec/${section}/${index}`,
        label: named ? `${section}[${index}] "${name}"` : `${section}[${index}]`,
        key: named ? `${section}/${name}` : `${section}/#${index}`,
      };
    }),
  );
}

/** A destination of a routing rule: one of its weighted `route` entries, or a mirror. */
export interface RouteDestination {
  route: VirtualServiceRoute;
  role: "route" | "mirror";
  /** For messages: `route[1]`, `mirror`, `mirrors[0]`. */
  label: string;
  /** The host as written, and its fully qualified form in the VirtualService's namespace. */
  host: string;
  fqdn: string;
  subset?: string;
  port?: number;
  /** JSON pointer of the destination object. */
  pointer: string;
  /**
   * The share of the rule's traffic this destination gets, in Istio's terms: a single route
   * destination gets 100 whatever its weight; among several, a missing weight counts as 0.
   * Undefined for mirrors, which take a copy and no share.
   */
  share?: number;
  /** JSON pointer of the weight (present or not) of a route destination. */
  weightPointer?: string;
}

/** Every destination of every routing rule of a VirtualService that names a host. */
export function destinationsOf(virtualService: Resource, index: MeshIndex): RouteDestination[] {
  const namespace = virtualService.object.metadata.namespace ?? "";
  return routesOf(virtualService).flatMap((route) => {
    const out: RouteDestination[] = [];
    const add = (destination: JsonValue | undefined, role: RouteDestination["role"], label: string, pointer: string, extra: Partial<RouteDestination> = {}): void => {
      const host = at(destination, "host");
      if (typeof host !== "string" || host === "") return;
      const subset = at(destination, "subset");
      const port = at(destination, "port", "number");
      out.push({
        route,
        role,
        label,
        host,
        fqdn: index.fqdn(host, namespace),
        ...(typeof subset === "string" && subset !== "" ? { subset } : {}),
        ...(typeof port === "number" ? { port } : {}),
        pointer,
        ...extra,
      });
    };
    const entries = asArray(at(route.rule, "route"));
    entries.forEach((entry, j) => {
      const weight = at(entry, "weight");
      const share = entries.length === 1 ? 100 : typeof weight === "number" ? weight : 0;
      const pointer = `${route.pointer}/route/${j}`;
      add(at(entry, "destination"), "route", `route[${j}]`, `${pointer}/destination`, { share, weightPointer: `${pointer}/weight` });
    });
    if (route.section === "http") {
      add(at(route.rule, "mirror"), "mirror", "mirror", `${route.pointer}/mirror`);
      asArray(at(route.rule, "mirrors")).forEach((mirror, k) => {
        add(at(mirror, "destination"), "mirror", `mirrors[${k}]`, `${route.pointer}/mirrors/${k}/destination`);
      });
    }
    return out;
  });
}

/** Whether a host pattern (`*`, `*.example.com` or a name) covers a concrete host. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === "*" || pattern === host) return true;
  return pattern.startsWith("*.") && host.endsWith(pattern.slice(1));
}

/** The subsets that apply to a host, and the DestinationRules that define them. */
export interface HostSubsets {
  names: ReadonlySet<string>;
  rules: Resource[];
}

/**
 * Subset lookup by fully qualified host, as Istio resolves it: DestinationRule hosts are
 * qualified in the DestinationRule's namespace; the rules for the exact host apply (their
 * subsets merge), else those of the most specific wildcard that covers it. `undefined` when no
 * DestinationRule applies to the host. `exportTo` is not considered: a rule hidden from the
 * route's namespace still counts as defining its subsets, which errs towards no finding.
 */
export function subsetsByHost(index: MeshIndex): (fqdn: string) => HostSubsets | undefined {
  const byHost = new Map<string, Resource[]>();
  for (const rule of networkingResources(index, "DestinationRule")) {
    const host = at(rule.object.spec, "host");
    if (typeof host !== "string" || host === "") continue;
    const fqdn = index.fqdn(host, rule.object.metadata.namespace ?? "");
    byHost.set(fqdn, [...(byHost.get(fqdn) ?? []), rule]);
  }
  const wildcards = [...byHost.keys()].filter((h) => h.includes("*")).sort((a, b) => b.length - a.length);
  return (fqdn) => {
    const pattern = byHost.has(fqdn) ? fqdn : wildcards.find((w) => hostCovers(w, fqdn));
    const rules = pattern !== undefined ? (byHost.get(pattern) ?? []) : [];
    if (rules.length === 0) return undefined;
    const names = new Set(rules.flatMap((rule) => asArray(at(rule.object.spec, "subsets")).map((s) => at(s, "name")).filter((n): n is string => typeof n === "string")));
    return { names, rules };
  };
}

/** Whether a ServiceEntry of the render declares the host (its hosts are taken as written, as Istio does). */
export function serviceEntryCovers(index: MeshIndex): (fqdn: string) => boolean {
  const patterns = networkingResources(index, "ServiceEntry").flatMap((entry) => asStrings(at(entry.object.spec, "hosts")));
  return (fqdn) => patterns.some((pattern) => hostCovers(pattern, fqdn));
}
