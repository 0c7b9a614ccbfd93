import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import type { NodePath } from "../../manifests/yaml-file.js";
import type { KubeObject } from "../../types.js";
import type { IngressRoute, StringMatch } from "../component-mesh.js";
import { defineTrait, isHttpPort, type ComponentInfo, type RenderConfig, type TraitContext, PORT_NUMBER_SCHEMA } from "../trait.js";

type TlsVersion = "TLS_AUTO" | "TLSV1_0" | "TLSV1_1" | "TLSV1_2" | "TLSV1_3";

interface RouteProps extends StringMatch {
  port?: number;
  rewrite?: string;
}

interface MeshIngressProps {
  hosts: string[];
  gateway?: string;
  selector?: Record<string, string>;
  tls?: { mode: "SIMPLE" | "MUTUAL"; credentialName?: string; minProtocolVersion?: TlsVersion };
  // No schema default, so that setting it beside `gateway` (where it means nothing) can be told apart.
  httpsRedirect?: boolean;
  routes?: RouteProps[];
}

const URI_MATCH_KEYS = ["prefix", "exact", "regex"] as const;

// Request paths always start with /: a prefix or exact path without it never matches.
const pathSchema = { type: "string", pattern: "^/", description: "a path starting with /" } as const;

const routeSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    prefix: pathSchema,
    exact: pathSchema,
    regex: { type: "string", minLength: 1 },
    port: PORT_NUMBER_SCHEMA,
    rewrite: { type: "string", minLength: 1 },
  },
  // Two `not`s rather than a oneOf: a failing oneOf also reports every branch's "missing key".
  allOf: [
    { not: { properties: { prefix: false, exact: false, regex: false } }, description: "a route needs one of prefix, exact or regex" },
    {
      not: { anyOf: [{ required: ["prefix", "exact"] }, { required: ["prefix", "regex"] }, { required: ["exact", "regex"] }] },
      description: "a route takes only one of prefix, exact or regex",
    },
  ],
} as const;

export const meshIngress = defineTrait<MeshIngressProps>({
  type: "mesh-ingress",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["hosts"],
    properties: {
      hosts: {
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: {
          type: "string",
          maxLength: 253,
          // Lower case only: Envoy matches hosts ignoring case, and the check that two ingresses
          // do not claim one host compares them as written. Wildcards are rule EDGE-003's concern.
          pattern: "^(\\*|(\\*\\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*)$",
          description: "a lower-case DNS name such as shop.example.com, optionally starting with `*.`, or `*`",
        },
      },
      gateway: {
        type: "string",
        pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$",
        description: "namespace/name of an existing Gateway, e.g. istio-ingress/public-gw",
      },
      selector: { type: "object", minProperties: 1, additionalProperties: { type: "string" } },
      tls: {
        type: "object",
        additionalProperties: false,
        properties: {
          mode: { type: "string", enum: ["SIMPLE", "MUTUAL"], default: "SIMPLE" },
          credentialName: { type: "string", minLength: 1 },
          minProtocolVersion: { type: "string", enum: ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"] },
        },
      },
      httpsRedirect: { type: "boolean" },
      routes: { type: "array", minItems: 1, items: routeSchema },
    },
  },
  render(context) {
    const { props, component, config, trait, mesh, report } = context;
    let errors = 0;
    const fail = (message: string, path: NodePath): void => {
      report("error", message, path);
      errors++;
    };

    const routes = ingressRoutes(props.routes, component, fail);
    const gateway = props.gateway === undefined ? renderedGateway(context, fail) : undefined;
    if (errors > 0) return;

    if (props.gateway !== undefined) {
      warnIgnoredWithGateway(props, report);
      warnUncoveredHosts({ props, gateway: props.gateway, namespace: component.namespace, config, report });
    }
    warnShadowedRoutes(props.routes ?? [], report);
    warnDoubleSlashRewrites(props.routes ?? [], report);
    if (gateway) {
      context.emit(gateway.object);
      report("notice", secretNotice(gateway.tls, props.selector, config), ["tls", "credentialName"]);
    }
    mesh.ingress = {
      value: { gateway: props.gateway ?? `${component.namespace}/${component.name}-gw`, hosts: props.hosts, routes },
      by: trait,
    };
  },
});

/**
 * The routes with their URI match and the component port each one targets: the given port, else
 * the component's first HTTP port. Ports are checked only when the component type says which it
 * serves; a route that cannot be resolved is reported through `fail`.
 */
function ingressRoutes(given: RouteProps[] | undefined, component: ComponentInfo, fail: (message: string, path: NodePath) => void): IngressRoute[] {
  const ports = component.ports;
  const served = (): string => (ports && ports.length > 0 ? ports.map((p) => `${p.port}/${p.appProtocol}`).join(", ") : "none");
  const firstHttp = ports?.find(isHttpPort)?.port;
  return (given ?? [{ prefix: "/" }]).map((route, i): IngressRoute => {
    // A defaulted route is reported at the trait itself.
    const at: NodePath = given ? ["routes", i] : [];
    const key = URI_MATCH_KEYS.find((k) => route[k] !== undefined) ?? "prefix";
    const value = route[key] ?? "/";
    let port = route.port;
    if (port !== undefined && ports) {
      const servedPort = ports.find((p) => p.port === port);
      if (!servedPort) {
        fail(`route port ${port} is not a port of ${component.name} (ports: ${served()})`, [...at, "port"]);
      } else if (!isHttpPort(servedPort)) {
        fail(`route port ${port} of ${component.name} is ${servedPort.protocol === "TCP" ? servedPort.appProtocol : servedPort.protocol}, not HTTP: an ingress route needs an http, http2 or grpc port`, [...at, "port"]);
      }
    } else if (port === undefined && ports) {
      port = firstHttp;
      if (port === undefined) {
        fail(`${component.name} serves no HTTP port to route to (ports: ${served()}): give it an http, http2 or grpc port`, at);
      }
    }
    return {
      match: { [key]: value },
      ...(port !== undefined ? { port } : {}),
      ...(route.rewrite !== undefined ? { rewrite: route.rewrite } : {}),
    };
  });
}

type GatewayTls = Required<Pick<NonNullable<MeshIngressProps["tls"]>, "mode" | "credentialName">>;

/** Gateway C-gw, or undefined when its TLS settings are incomplete (reported through `fail`). */
function renderedGateway(context: TraitContext<MeshIngressProps>, fail: (message: string, path: NodePath) => void): { object: KubeObject; tls: GatewayTls } | undefined {
  const { props, component, config } = context;
  const tls = props.tls;
  if (tls?.credentialName === undefined) {
    fail("tls.credentialName is required when no `gateway` is given: name the Kubernetes TLS secret of the Gateway meshgate renders", tls ? ["tls"] : []);
    return undefined;
  }
  const mode = tls.mode;
  const hosts = props.hosts.map((h) => `./${h}`);
  const selector = props.selector ?? config.mesh.ingress.selector;
  const gateway = new Gateway({
    metadata: { name: `${component.name}-gw`, namespace: component.namespace },
    spec: {
      selector,
      servers: [
        {
          port: { number: 443, name: `https-${component.name}`, protocol: "HTTPS" },
          hosts,
          tls: { mode, credentialName: tls.credentialName, ...(tls.minProtocolVersion !== undefined ? { minProtocolVersion: tls.minProtocolVersion } : {}) },
        },
        ...((props.httpsRedirect ?? true)
          ? [{ port: { number: 80, name: `http-${component.name}`, protocol: "HTTP" }, hosts, tls: { httpsRedirect: true } }]
          : []),
      ],
    },
  });
  return { object: gateway.toJSON() as KubeObject, tls: { mode, credentialName: tls.credentialName } };
}

/** Istio reads credentialName in the gateway workload's namespace, which is rarely the Application's. */
function secretNotice(tls: GatewayTls, selector: Record<string, string> | undefined, config: RenderConfig): string {
  const secret = tls.credentialName;
  const where = selector === undefined
    ? `namespace ${config.mesh.ingress.namespace} (the ingress gateway's namespace, config mesh.ingress.namespace)`
    : "the namespace of the gateway pods that `selector` picks";
  const ca = tls.mode === "MUTUAL" ? `; for MUTUAL it must also hold the client CA as ca.crt (or a secret named \`${secret}-cacert\` must)` : "";
  return `the TLS secret \`${secret}\` must exist in ${where}, not in the Application's namespace${ca}`;
}

function warnIgnoredWithGateway(props: MeshIngressProps, report: TraitContext<unknown>["report"]): void {
  for (const key of ["selector", "tls", "httpsRedirect"] as const) {
    if (props[key] !== undefined) {
      report("warning", `\`${key}\` is ignored: it configures the Gateway meshgate renders, and none is rendered when \`gateway\` binds to ${String(props.gateway)}`, [key]);
    }
  }
}

/** A gateway listed in config routes only the hosts its servers declare; others never reach C-ingress. */
function warnUncoveredHosts(params: { props: MeshIngressProps; gateway: string; namespace: string; config: RenderConfig; report: TraitContext<unknown>["report"] }): void {
  const { props, gateway, namespace, config, report } = params;
  const listed = config.mesh.gateways.find((g) => g.name === gateway);
  if (!listed) return;
  const gatewayNamespace = gateway.split("/")[0] ?? "";
  props.hosts.forEach((host, i) => {
    const covered = listed.hosts.some((entry) => {
      const [scope, name] = entry.includes("/") ? (entry.split("/", 2) as [string, string]) : ["*", entry];
      const bindable = scope === "*" || scope === namespace || (scope === "." && gatewayNamespace === namespace);
      return bindable && hostCovers(name, host);
    });
    if (!covered) {
      report("warning", `host ${host} is not among the hosts of gateway ${gateway} (${listed.hosts.join(", ")}) for namespace ${namespace}: the gateway will not route it here`, ["hosts", i]);
    }
  });
}

function hostCovers(gatewayHost: string, host: string): boolean {
  if (gatewayHost === "*" || gatewayHost === host) return true;
  return gatewayHost.startsWith("*.") && host.endsWith(gatewayHost.slice(1));
}

/** Istio tries routes in order; an earlier prefix that covers a later route leaves it unreachable. */
function warnShadowedRoutes(routes: RouteProps[], report: TraitContext<unknown>["report"]): void {
  routes.forEach((later, j) => {
    const i = routes.slice(0, j).findIndex((earlier) => shadows(earlier, later));
    const earlier = routes[i];
    if (earlier) {
      report("warning", `route ${j} (${describeMatch(later)}) is never reached: route ${i} (${describeMatch(earlier)}) matches its requests first; list the more specific route first`, ["routes", j]);
    }
  });
}

/** Istio swaps the matched prefix for the rewrite: prefix /api with rewrite / turns /api/x into //x. */
function warnDoubleSlashRewrites(routes: RouteProps[], report: TraitContext<unknown>["report"]): void {
  routes.forEach((route, i) => {
    const { prefix, rewrite } = route;
    if (prefix === undefined || rewrite === undefined || prefix.endsWith("/") || !rewrite.endsWith("/")) return;
    report("warning", `prefix ${prefix} rewritten to ${rewrite} turns ${prefix}/x into ${rewrite}/x: write the prefix as ${prefix}/ (and add an exact ${prefix} route if that path is served)`, ["routes", i, "rewrite"]);
  });
}

function shadows(earlier: StringMatch, later: StringMatch): boolean {
  if (earlier.prefix !== undefined) {
    const path = later.prefix ?? later.exact;
    return path?.startsWith(earlier.prefix) ?? false;
  }
  if (earlier.exact !== undefined) return later.exact === earlier.exact;
  return earlier.regex !== undefined && later.regex === earlier.regex;
}

function describeMatch(match: StringMatch): string {
  const key = URI_MATCH_KEYS.find((k) => match[k] !== undefined) ?? "prefix";
  return `${key} ${String(match[key])}`;
}
