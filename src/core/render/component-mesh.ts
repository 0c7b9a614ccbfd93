import { DestinationRule, type IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import { VirtualService, type IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import type { Contribution, KubeObject } from "../types.js";
import type { ComponentInfo, TraitRef } from "./trait.js";

export type HttpRoute = NonNullable<NonNullable<IVirtualService["spec"]>["http"]>[number];
type RouteDestination = NonNullable<HttpRoute["route"]>[number];
export type TrafficPolicy = NonNullable<NonNullable<IDestinationRule["spec"]>["trafficPolicy"]>;

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface Subset {
  name: string;
  labels: Record<string, string>;
  weight: number;
}

export interface TrafficSplit {
  subsets: Subset[];
  /** Header-routed rules, placed before the weighted default route. */
  match: { headers: Record<string, StringMatch>; subset: string }[];
  mirror?: { subset: string; percent: number };
}

export interface Resilience {
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
}

export interface Fault {
  headers: Record<string, StringMatch>;
  delay?: { fixedDelay: string; percent: number };
  abort?: { httpStatus: number; percent: number };
}

export interface IngressRoute {
  match: StringMatch;
  /** Undefined only when the component's ports are unknown (k8s-objects, unknown types). */
  port?: number;
  rewrite?: string;
}

export interface IngressRouting {
  /** `namespace/name` of the gateway the routes bind to. */
  gateway: string;
  hosts: string[];
  routes: IngressRoute[];
}

export interface MeshPart<T> {
  value: T;
  by: TraitRef;
}

/**
 * The parts of a component's shared resources that traits fill in. Several traits shape
 * VirtualService C, VirtualService C-ingress and DestinationRule C; each sets its own part,
 * and `assembleComponentMesh` builds the resources once all traits have run, so the result
 * does not depend on the order of the traits.
 */
export interface ComponentMesh {
  split?: MeshPart<TrafficSplit>;
  resilience?: MeshPart<Resilience>;
  fault?: MeshPart<Fault>;
  ingress?: MeshPart<IngressRouting>;
  trafficPolicy?: MeshPart<TrafficPolicy>;
}

export interface AssembledResource {
  object: KubeObject;
  /** Every trait that wrote part of the object, first contributor first. */
  sources: (Contribution & { ref: TraitRef })[];
}

/** Builds VirtualService C, VirtualService C-ingress and DestinationRule C from the parts set. */
export function assembleComponentMesh(component: ComponentInfo, mesh: ComponentMesh): AssembledResource[] {
  const out: AssembledResource[] = [];
  const destinationRule = assembleDestinationRule(component, mesh);
  if (destinationRule) out.push(destinationRule);
  const meshRoutes = assembleMeshVirtualService(component, mesh);
  if (meshRoutes) out.push(meshRoutes);
  const ingress = assembleIngressVirtualService(component, mesh);
  if (ingress) out.push(ingress);
  return out;
}

/** Collects which trait wrote which JSON pointers, in first-write order. */
class Contributions {
  private readonly byTrait = new Map<TraitRef, string[]>();
  add(ref: TraitRef | undefined, ...paths: string[]): void {
    if (!ref) return;
    const list = this.byTrait.get(ref) ?? [];
    list.push(...paths);
    this.byTrait.set(ref, list);
  }
  list(): AssembledResource["sources"] {
    return [...this.byTrait].map(([ref, paths]) => ({ file: ref.file, line: ref.line, trait: ref.type, paths, ref }));
  }
}

function assembleDestinationRule(component: ComponentInfo, mesh: ComponentMesh): AssembledResource | undefined {
  const { split, trafficPolicy } = mesh;
  if (!split && !trafficPolicy) return undefined;
  const contributions = new Contributions();
  contributions.add(split?.by ?? trafficPolicy?.by, "/spec/host");
  if (trafficPolicy) contributions.add(trafficPolicy.by, "/spec/trafficPolicy");
  if (split) contributions.add(split.by, "/spec/subsets");
  const object = new DestinationRule({
    metadata: { name: component.name, namespace: component.namespace },
    spec: {
      host: component.host,
      ...(trafficPolicy ? { trafficPolicy: trafficPolicy.value } : {}),
      ...(split ? { subsets: split.value.subsets.map((s) => ({ name: s.name, labels: s.labels })) } : {}),
    },
  });
  return { object: object.toJSON() as KubeObject, sources: contributions.list() };
}

/** The default destinations: the weighted subsets of traffic-split, else the service itself. */
function defaultRoute(component: ComponentInfo, split: TrafficSplit | undefined, port?: number): RouteDestination[] {
  const destination = (subset?: string): RouteDestination["destination"] => ({
    host: component.host,
    ...(subset !== undefined ? { subset } : {}),
    ...(port !== undefined ? { port: { number: port } } : {}),
  });
  if (!split) return [{ destination: destination() }];
  return split.subsets.map((s) => ({ destination: destination(s.name), weight: s.weight }));
}

function headerMatch(headers: Record<string, StringMatch>): Record<string, StringMatch> {
  return Object.fromEntries(Object.keys(headers).sort().map((h) => [h, headers[h] ?? {}]));
}

function assembleMeshVirtualService(component: ComponentInfo, mesh: ComponentMesh): AssembledResource | undefined {
  const { split, resilience, fault } = mesh;
  if (!split && !resilience && !fault) return undefined;
  const contributions = new Contributions();
  contributions.add(split?.by ?? resilience?.by ?? fault?.by, "/spec/hosts");
  const http: HttpRoute[] = [];

  if (fault) {
    const f = fault.value;
    http.push({
      name: "fault-injection",
      match: [{ headers: headerMatch(f.headers) }],
      fault: {
        ...(f.delay ? { delay: { fixedDelay: f.delay.fixedDelay, percentage: { value: f.delay.percent } } } : {}),
        ...(f.abort ? { abort: { httpStatus: f.abort.httpStatus, percentage: { value: f.abort.percent } } } : {}),
      },
      route: defaultRoute(component, split?.value),
    });
    const at = `/spec/http/${http.length - 1}`;
    contributions.add(fault.by, `${at}/name`, `${at}/match`, `${at}/fault`, ...(split ? [] : [`${at}/route`]));
    if (split) contributions.add(split.by, `${at}/route`);
  }
  http.push(...weightedRules({ component, mesh, contributions, firstIndex: http.length, prefix: "" }));
  const object = new VirtualService({
    metadata: { name: component.name, namespace: component.namespace },
    spec: { hosts: [component.host], http },
  });
  return { object: object.toJSON() as KubeObject, sources: contributions.list() };
}

function assembleIngressVirtualService(component: ComponentInfo, mesh: ComponentMesh): AssembledResource | undefined {
  const { ingress } = mesh;
  if (!ingress) return undefined;
  const contributions = new Contributions();
  contributions.add(ingress.by, "/spec/hosts", "/spec/gateways");
  const http: HttpRoute[] = [];
  ingress.value.routes.forEach((route, index) => {
    http.push(...weightedRules({ component, mesh, contributions, firstIndex: http.length, prefix: `ingress-${index}`, ingressRoute: route }));
  });
  const object = new VirtualService({
    metadata: { name: `${component.name}-ingress`, namespace: component.namespace },
    spec: { hosts: ingress.value.hosts, gateways: [ingress.value.gateway], http },
  });
  return { object: object.toJSON() as KubeObject, sources: contributions.list() };
}

/**
 * The header-routed rules of traffic-split, then the weighted default rule, each with the
 * timeout and retries of http-resilience. Behind an ingress route each rule also carries the
 * route's URI match, rewrite and port.
 */
function weightedRules(params: {
  component: ComponentInfo;
  mesh: ComponentMesh;
  contributions: Contributions;
  firstIndex: number;
  prefix: string;
  ingressRoute?: IngressRoute;
}): HttpRoute[] {
  const { component, mesh, contributions, firstIndex, prefix, ingressRoute } = params;
  const { split, resilience, ingress } = mesh;
  const name = (suffix: string): string => (prefix === "" ? suffix : `${prefix}-${suffix}`);
  const uri = ingressRoute ? { uri: ingressRoute.match } : {};
  const rewrite = ingressRoute?.rewrite !== undefined ? { rewrite: { uri: ingressRoute.rewrite } } : {};
  const port = ingressRoute?.port;
  // A gateway sends a destination without a port to the port it listens on (443) unless the
  // service has a single port: behind an ingress every destination, mirror included, names its port.
  const portField = port !== undefined ? { port: { number: port } } : {};
  const rules: HttpRoute[] = [];

  for (const m of split?.value.match ?? []) {
    rules.push({
      name: name(`header-${rules.length}`),
      match: [{ ...uri, headers: headerMatch(m.headers) }],
      ...rewrite,
      route: [{ destination: { host: component.host, subset: m.subset, ...portField } }],
    });
  }
  const mirror = split?.value.mirror;
  rules.push({
    name: name("default"),
    ...(ingressRoute ? { match: [uri] } : {}),
    ...rewrite,
    route: defaultRoute(component, split?.value, port),
    ...(mirror ? { mirror: { host: component.host, subset: mirror.subset, ...portField }, mirrorPercentage: { value: mirror.percent } } : {}),
  });

  const r = resilience?.value;
  rules.forEach((rule, i) => {
    const at = `/spec/http/${firstIndex + i}`;
    if (ingressRoute) contributions.add(ingress?.by, `${at}/match`, ...(ingressRoute.rewrite !== undefined ? [`${at}/rewrite`] : []));
    if (split) contributions.add(split.by, `${at}/route`, ...(i < rules.length - 1 ? [`${at}/match`] : mirror ? [`${at}/mirror`, `${at}/mirrorPercentage`] : []));
    else contributions.add(ingressRoute ? ingress?.by : (resilience?.by ?? mesh.fault?.by), `${at}/route`);
    if (r?.timeout !== undefined) {
      rule.timeout = r.timeout;
      contributions.add(resilience?.by, `${at}/timeout`);
    }
    if (r?.retries) {
      rule.retries = {
        attempts: r.retries.attempts,
        ...(r.retries.perTryTimeout !== undefined ? { perTryTimeout: r.retries.perTryTimeout } : {}),
        ...(r.retries.retryOn !== undefined ? { retryOn: r.retries.retryOn } : {}),
      };
      contributions.add(resilience?.by, `${at}/retries`);
    }
  });
  return rules;
}
