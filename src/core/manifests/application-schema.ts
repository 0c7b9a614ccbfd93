// The subset of KubeVela's core.oam.dev/v1beta1 Application that meshgate reads. Fields
// meshgate does not use (policies, workflow, component properties such as cpu or env) are
// allowed and ignored; component and trait properties are checked by their own schemas.

const dnsLabel = {
  type: "string",
  pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  maxLength: 63,
} as const;

export const applicationSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "core.oam.dev/v1beta1" },
    kind: { const: "Application" },
    metadata: {
      type: "object",
      required: ["name"],
      properties: {
        name: { type: "string", pattern: "^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", maxLength: 253 },
        namespace: dnsLabel,
        labels: { type: "object", additionalProperties: { type: "string" } },
        annotations: { type: "object", additionalProperties: { type: "string" } },
      },
    },
    spec: {
      type: "object",
      required: ["components"],
      properties: {
        components: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "type"],
            properties: {
              name: dnsLabel,
              type: { type: "string", minLength: 1 },
              properties: { type: "object" },
              traits: {
                type: "array",
                items: {
                  type: "object",
                  required: ["type"],
                  properties: {
                    type: { type: "string", minLength: 1 },
                    properties: { type: "object" },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
