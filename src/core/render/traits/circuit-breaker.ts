import type { TrafficPolicy } from "../component-mesh.js";
import { defineTrait, isHttpPort } from "../trait.js";
import { durationSchema } from "./shared-schemas.js";

interface CircuitBreakerProps {
  connectionPool?: {
    tcp?: { maxConnections?: number; connectTimeout?: string };
    http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number; maxRequestsPerConnection?: number; maxRetries?: number };
  };
  outlierDetection?: { consecutive5xxErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  loadBalancer?: { simple: "ROUND_ROBIN" | "LEAST_REQUEST" | "RANDOM" };
}

// Istio reads 0 in these int32 fields as "not set", which means unlimited: a limit starts at 1.
const limit = { type: "integer", minimum: 1, maximum: 2147483647 } as const;

export const circuitBreaker = defineTrait<CircuitBreakerProps>({
  type: "circuit-breaker",
  schema: {
    type: "object",
    additionalProperties: false,
    // Istio rejects a trafficPolicy without any field.
    minProperties: 1,
    description: "set connectionPool, outlierDetection or loadBalancer",
    properties: {
      connectionPool: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        description: "set tcp, http or both",
        properties: {
          tcp: {
            type: "object",
            additionalProperties: false,
            minProperties: 1,
            description: "set maxConnections or connectTimeout",
            properties: { maxConnections: limit, connectTimeout: durationSchema },
          },
          http: {
            type: "object",
            additionalProperties: false,
            minProperties: 1,
            description: "set http1MaxPendingRequests, http2MaxRequests, maxRequestsPerConnection or maxRetries",
            properties: { http1MaxPendingRequests: limit, http2MaxRequests: limit, maxRequestsPerConnection: limit, maxRetries: limit },
          },
        },
      },
      // An empty outlierDetection is meaningful: it turns ejection on with Envoy's defaults.
      outlierDetection: {
        type: "object",
        additionalProperties: false,
        properties: {
          // 0 is kept: it turns 5xx-based ejection off explicitly.
          consecutive5xxErrors: { type: "integer", minimum: 0, maximum: 4294967295 },
          interval: durationSchema,
          baseEjectionTime: durationSchema,
          // 0 would read as "not set" (Istio's 10%), not as "eject nothing".
          maxEjectionPercent: { type: "integer", minimum: 1, maximum: 100 },
        },
      },
      loadBalancer: {
        type: "object",
        additionalProperties: false,
        required: ["simple"],
        properties: {
          // LEAST_CONN is Istio's deprecated name of LEAST_REQUEST; PASSTHROUGH skips load balancing altogether.
          simple: { type: "string", enum: ["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM"] },
        },
      },
    },
  },
  render({ props, component, mesh, trait, report }) {
    const { connectionPool, outlierDetection, loadBalancer } = props;
    if (connectionPool?.http && component.ports && !component.ports.some(isHttpPort)) {
      report("warning", `\`connectionPool.http\` limits HTTP requests only, and ${component.name} serves no HTTP port: only \`connectionPool.tcp\` takes effect`, ["connectionPool", "http"]);
    }

    // Built field by field in a fixed order, so the output does not follow the YAML's key order.
    const trafficPolicy: TrafficPolicy = given({
      connectionPool: connectionPool
        ? given({
            tcp: connectionPool.tcp ? given({ maxConnections: connectionPool.tcp.maxConnections, connectTimeout: connectionPool.tcp.connectTimeout }) : undefined,
            http: connectionPool.http
              ? given({
                  http1MaxPendingRequests: connectionPool.http.http1MaxPendingRequests,
                  http2MaxRequests: connectionPool.http.http2MaxRequests,
                  maxRequestsPerConnection: connectionPool.http.maxRequestsPerConnection,
                  maxRetries: connectionPool.http.maxRetries,
                })
              : undefined,
          })
        : undefined,
      outlierDetection: outlierDetection
        ? given({
            consecutive5xxErrors: outlierDetection.consecutive5xxErrors,
            interval: outlierDetection.interval,
            baseEjectionTime: outlierDetection.baseEjectionTime,
            maxEjectionPercent: outlierDetection.maxEjectionPercent,
          })
        : undefined,
      loadBalancer: loadBalancer ? { simple: loadBalancer.simple } : undefined,
    });
    mesh.trafficPolicy = { value: trafficPolicy, by: trait };
  },
});

/** The object without its undefined fields: an absent property stays absent in the output. */
function given<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}
