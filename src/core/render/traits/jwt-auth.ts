import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { RequestAuthentication, type IRequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication";
import type { KubeObject } from "../../types.js";
import { defineTrait, httpOnlyPorts } from "../trait.js";

type JwtRule = NonNullable<NonNullable<IRequestAuthentication["spec"]>["jwtRules"]>[number];

interface Issuer {
  issuer: string;
  jwksUri?: string;
  audiences?: string[];
  forwardOriginalToken?: boolean;
  outputClaimToHeaders?: { header: string; claim: string }[];
}

interface JwtAuthProps {
  issuers: Issuer[];
  requireToken: boolean;
}

const nonEmptyString = { type: "string", minLength: 1 } as const;

export const jwtAuth = defineTrait<JwtAuthProps>({
  type: "jwt-auth",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["issuers"],
    properties: {
      issuers: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["issuer"],
          properties: {
            issuer: nonEmptyString,
            // Optional: without it Istio discovers the keys from the issuer's OpenID configuration.
            // A plain-http URI is rule AUTHN-002's finding, not a schema error.
            jwksUri: { type: "string", pattern: "^https?://\\S+$", maxLength: 2048 },
            // Optional too: a rule without audiences is rule AUTHN-002's finding.
            audiences: { type: "array", minItems: 1, uniqueItems: true, items: nonEmptyString },
            forwardOriginalToken: { type: "boolean" },
            outputClaimToHeaders: {
              type: "array",
              minItems: 1,
              items: {
                type: "object",
                additionalProperties: false,
                required: ["header", "claim"],
                properties: { header: { type: "string", pattern: "^[-_A-Za-z0-9]+$" }, claim: nonEmptyString },
              },
            },
          },
        },
      },
      requireToken: { type: "boolean", default: true },
    },
  },
  render(context) {
    const { props, component, emit } = context;
    // RequestAuthentication and the DENY alike only see HTTP traffic; the DENY's condition
    // would be dropped for TCP, denying every TCP connection, hence its ports.
    const ports = httpOnlyPorts({ context, what: props.requireToken ? "requiring a JWT" : "JWT validation", remedy: "the trait" });
    const selector = { matchLabels: component.selector };

    const requestAuthentication = new RequestAuthentication({
      metadata: { name: `${component.name}-jwt`, namespace: component.namespace },
      spec: { selector, jwtRules: props.issuers.map(jwtRule) },
    });
    emit(requestAuthentication.toJSON() as KubeObject);
    if (!props.requireToken) return;

    // A DENY of requests without a principal composes with any ALLOW policy; an ALLOW on
    // `requestPrincipals: ["*"]` would widen what other ALLOW policies permit.
    const requireJwt = new AuthorizationPolicy({
      metadata: { name: `${component.name}-require-jwt`, namespace: component.namespace },
      spec: {
        selector,
        action: "DENY",
        rules: [{
          from: [{ source: { notRequestPrincipals: ["*"] } }],
          // On a TCP-only component (null: already reported as an error) it is rendered as
          // written, so the rules and the diff see what Istio would do with it.
          ...(ports ? { to: [{ operation: { ports } }] } : {}),
        }],
      },
    });
    emit(requireJwt.toJSON() as KubeObject);
  },
});

/** In a fixed key order, whatever order the YAML gave. */
function jwtRule(issuer: Issuer): JwtRule {
  return {
    issuer: issuer.issuer,
    ...(issuer.jwksUri !== undefined ? { jwksUri: issuer.jwksUri } : {}),
    ...(issuer.audiences ? { audiences: issuer.audiences } : {}),
    ...(issuer.forwardOriginalToken !== undefined ? { forwardOriginalToken: issuer.forwardOriginalToken } : {}),
    ...(issuer.outputClaimToHeaders ? { outputClaimToHeaders: issuer.outputClaimToHeaders.map((o) => ({ header: o.header, claim: o.claim })) } : {}),
  };
}
