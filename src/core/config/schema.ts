// JSON Schema of `.github/meshgate.yml`. `schemas/meshgate.schema.json` is generated from this
// object (`npm run schemas`) so editors can complete the file; a test keeps the two equal.

const severity = { type: "string", enum: ["critical", "high", "medium", "low"] } as const;
const labels = { type: "object", additionalProperties: { type: "string" } } as const;

export const configSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "meshgate configuration (.github/meshgate.yml)",
  type: "object",
  additionalProperties: false,
  properties: {
    manifests: {
      description: "Which files hold OAM Applications and raw Istio documents.",
      type: "object",
      additionalProperties: false,
      properties: {
        include: { type: "array", items: { type: "string", minLength: 1 }, default: ["**/*.yaml", "**/*.yml", "**/*.json"] },
        exclude: { type: "array", items: { type: "string", minLength: 1 }, default: [] },
      },
      default: {},
    },
    defaultNamespace: {
      description: "Namespace of Applications and raw documents that name none.",
      type: "string",
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      maxLength: 63,
      default: "default",
    },
    mesh: {
      type: "object",
      additionalProperties: false,
      properties: {
        trustDomain: { type: "string", minLength: 1, default: "cluster.local" },
        clusterDomain: { type: "string", minLength: 1, default: "cluster.local" },
        rootNamespace: { type: "string", minLength: 1, default: "istio-system" },
        mtls: {
          description: "Mesh-wide mTLS mode enforced outside this repository (MTLS-001). Istio's default is PERMISSIVE.",
          type: "string",
          enum: ["STRICT", "PERMISSIVE", "DISABLE"],
          default: "PERMISSIVE",
        },
        defaultDeny: {
          description: "True when a mesh- or namespace-wide default-deny policy is enforced outside this repository (AUTHZ-001).",
          type: "boolean",
          default: false,
        },
        ingress: {
          type: "object",
          additionalProperties: false,
          properties: {
            namespace: { type: "string", minLength: 1, default: "istio-system" },
            selector: { ...labels, default: { istio: "ingressgateway" } },
          },
          default: {},
        },
        gateways: {
          description: "Shared gateways that applications may bind to with mesh-ingress.gateway.",
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["name", "hosts"],
            properties: {
              name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$" },
              hosts: { type: "array", items: { type: "string", minLength: 1 } },
            },
          },
          default: [],
        },
      },
      default: {},
    },
    rules: {
      type: "object",
      additionalProperties: false,
      properties: {
        failOn: { ...severity, description: "Lowest severity of a new finding that fails the check.", default: "high" },
        blockPreexisting: { type: "boolean", default: false },
        overrides: {
          type: "object",
          propertyNames: { pattern: "^[A-Z]+-[0-9]{3}$" },
          additionalProperties: {
            type: "object",
            additionalProperties: false,
            properties: { severity, enabled: { type: "boolean" } },
          },
          default: {},
        },
      },
      default: {},
    },
    waivers: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "resource", "justification", "ticket", "expires"],
        properties: {
          rule: { type: "string", pattern: "^[A-Z]+-[0-9]{3}$" },
          resource: {
            type: "object",
            additionalProperties: false,
            required: ["kind", "namespace", "name"],
            properties: {
              kind: { type: "string", minLength: 1 },
              namespace: { type: "string", minLength: 1, description: "The resource's namespace: a waiver names exactly one resource." },
              name: { type: "string", minLength: 1 },
            },
          },
          key: { type: "string", minLength: 1, description: "The key at fault, as the finding names it; absent: every key of the rule on the resource." },
          value: { type: "string", minLength: 1, description: "The value at fault; absent: the value the finding had when it was waived (on the base branch)." },
          justification: { type: "string", minLength: 1 },
          ticket: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
        },
      },
      default: [],
    },
    approvals: {
      type: "object",
      additionalProperties: false,
      properties: {
        codeOwners: { type: "boolean", default: true },
        dismissStale: { type: "boolean", default: true },
        minimum: { type: "integer", minimum: 0, default: 1 },
        securityTeam: { type: "string", pattern: "^@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?$" },
      },
      default: {},
    },
  },
} as const;
