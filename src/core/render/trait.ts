import type { Config } from "../config/config.js";
import type { NodePath } from "../manifests/yaml-file.js";
import type { DiagnosticSeverity, KubeObject } from "../types.js";
import type { ComponentMesh } from "./component-mesh.js";

export type AppProtocol = "http" | "http2" | "grpc" | "tcp" | "tls";

/** The JSON Schema of a TCP/UDP port number, as every trait and component that takes one declares it. */
export const PORT_NUMBER_SCHEMA = { type: "integer", minimum: 1, maximum: 65535 } as const;

export interface PortInfo {
  port: number;
  protocol: "TCP" | "UDP" | "SCTP";
  appProtocol: AppProtocol;
}

/** What traits know of the component they are attached to. */
export interface ComponentInfo {
  app: string;
  name: string;
  namespace: string;
  type: string;
  /** `C.NS.svc.<clusterDomain>`: rendered hosts are always fully qualified. */
  host: string;
  /** The workload selector: app and component, so two Applications never select each other's pods. */
  selector: Record<string, string>;
  /** Ports the component serves; undefined when its type does not say (k8s-objects, unknown types). */
  ports?: PortInfo[];
}

/** Where a trait stands in the manifests. */
export interface TraitRef {
  type: string;
  file: string;
  line: number;
}

export type RenderConfig = Pick<Config, "mesh">;

export interface TraitContext<P> {
  /** The trait's properties, validated against its schema, with defaults filled in. */
  props: P;
  component: ComponentInfo;
  config: RenderConfig;
  trait: TraitRef;
  /** Renders a resource owned by this trait alone (labels and provenance are added for it). */
  emit: (object: KubeObject) => void;
  /** The component's shared VirtualService C, VirtualService C-ingress and DestinationRule C. */
  mesh: ComponentMesh;
  /** Reports a diagnostic at the trait, or at one of its properties. */
  report: (severity: DiagnosticSeverity, message: string, propertyPath?: NodePath) => void;
}

export interface TraitDefinition<P = unknown> {
  type: string;
  /** JSON Schema of the trait's properties (strict: unknown keys are errors). */
  schema: object;
  render: (context: TraitContext<P>) => void;
  /**
   * A trait known to have no mesh effect: nothing is rendered, and a render says so once for
   * all of them, not per use. `unless` names what would give a use of it one (a patch setting
   * a sidecar annotation), which then fails closed as an error.
   */
  inert?: { unless?: (props: P) => string | undefined };
}

/** Lets each trait file keep its own property type while the registry holds them together. */
export function defineTrait<P>(definition: TraitDefinition<P>): TraitDefinition {
  return definition as TraitDefinition;
}

const HTTP_PROTOCOLS: ReadonlySet<AppProtocol> = new Set(["http", "http2", "grpc"]);

export function isHttpPort(port: PortInfo): boolean {
  return port.protocol === "TCP" && HTTP_PROTOCOLS.has(port.appProtocol);
}

/**
 * For rules that use HTTP-only attributes (request principals, paths, methods, JWT claims).
 * Istio never matches such an ALLOW rule on TCP traffic and drops the HTTP conditions of such a
 * DENY rule, denying all TCP traffic. So on a component that also serves non-HTTP ports the
 * rule is limited to its HTTP ports (with a warning); on one with no HTTP port it is an error.
 * Returns the ports to put in `to.operation.ports` (undefined: no restriction needed or
 * possible), or null when the rule cannot apply.
 */
export function httpOnlyPorts(params: {
  context: TraitContext<unknown>;
  /** What uses the HTTP-only attributes, e.g. "requiring a JWT". */
  what: string;
  /** What the user can drop instead, e.g. "the trait" or "its paths and methods". */
  remedy: string;
  /** Where diagnostics go, below the trait's properties. */
  propertyPath?: NodePath;
}): string[] | undefined | null {
  const { context, what, remedy, propertyPath = [] } = params;
  const ports = context.component.ports;
  if (ports === undefined) return undefined;
  const http = ports.filter(isHttpPort);
  if (http.length === 0) {
    context.report("error", `${what} acts on HTTP traffic only, and component ${context.component.name} serves no HTTP port${ports.length > 0 ? ` (ports: ${ports.map((p) => `${p.port}/${p.appProtocol}`).join(", ")})` : ""}: give it an http, http2 or grpc port or remove ${remedy}`, propertyPath);
    return null;
  }
  if (http.length === ports.length) return undefined;
  const nonHttp = ports.filter((p) => !isHttpPort(p)).map((p) => `${p.port}/${p.appProtocol}`);
  context.report("warning", `${what} acts on HTTP traffic only: limited to HTTP ports ${http.map((p) => p.port).join(", ")} of ${context.component.name}; its non-HTTP ports (${nonHttp.join(", ")}) are not covered by it`, propertyPath);
  return http.map((p) => String(p.port));
}
