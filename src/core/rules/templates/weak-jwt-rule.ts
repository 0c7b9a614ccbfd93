import { asArray, asStrings, at } from "../mesh-index.js";
import { defineTemplate, type FindingDraft } from "../rule.js";
import { securityResources } from "./authorization-scope.js";

interface WeakJwtRuleParams {
  /** Whether a JWT rule must name the audiences it accepts. */
  requireAudiences: boolean;
  /** The URI schemes keys may be fetched over. */
  jwksSchemes: string[];
}

/**
 * JWT rules of a RequestAuthentication that accept too much: without `audiences`, a token the
 * issuer minted for any other service is accepted; keys fetched over plain http can be swapped
 * in transit. Without `jwksUri` (and without inline `jwks`), Istio discovers the keys from the
 * issuer's OpenID configuration, so the issuer's own scheme is what counts.
 */
export const weakJwtRule = defineTemplate<WeakJwtRuleParams>({
  name: "weak-jwt-rule",
  paramsSchema: {
    type: "object",
    additionalProperties: false,
    required: ["requireAudiences", "jwksSchemes"],
    properties: {
      requireAudiences: { type: "boolean" },
      jwksSchemes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z][a-z0-9+.-]*$" } },
    },
  },
  check({ index }, { requireAudiences, jwksSchemes }) {
    const drafts: FindingDraft[] = [];
    for (const authentication of securityResources(index, "RequestAuthentication")) {
      const name = `${authentication.object.metadata.namespace ?? ""}/${authentication.object.metadata.name}`;
      asArray(at(authentication.object.spec, "jwtRules")).forEach((jwtRule, i) => {
        const issuerValue = at(jwtRule, "issuer");
        const issuer = typeof issuerValue === "string" ? issuerValue : `jwtRules[${i}]`;
        // By issuer, not position: reordering the rules does not make their findings new.
        const key = `issuer/${issuer}`;
        const values = { authentication: name, issuer };
        if (requireAudiences && asStrings(at(jwtRule, "audiences")).length === 0) {
          drafts.push({ resource: authentication, key: `${key}/audiences`, pointer: `/spec/jwtRules/${i}`, values: { ...values, problem: "it accepts tokens for any audience (no `audiences`)" } });
        }
        const jwksUri = at(jwtRule, "jwksUri");
        const keysFrom = typeof jwksUri === "string" ? { field: "jwksUri", uri: jwksUri } : at(jwtRule, "jwks") === undefined && typeof issuerValue === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(issuerValue) ? { field: "issuer", uri: issuerValue } : undefined;
        if (keysFrom && !jwksSchemes.some((scheme) => keysFrom.uri.toLowerCase().startsWith(`${scheme}://`))) {
          drafts.push({
            resource: authentication,
            key: `${key}/${keysFrom.field}`,
            pointer: `/spec/jwtRules/${i}/${keysFrom.field}`,
            values: { ...values, problem: `${keysFrom.field === "issuer" ? "its keys are discovered from the issuer" : "its keys are fetched from"} ${keysFrom.uri}, not over ${jwksSchemes.join(" or ")}` },
          });
        }
      });
    }
    return drafts;
  },
});
