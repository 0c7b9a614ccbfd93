/** What meshgate checks of a Gateway API document, as a diagnostic and the README say it. */
export const GATEWAY_API_CHECKS =
  "checked with the @kubernetes-models/gateway-api 2.0.0 validators (types, enums, required fields, patterns, lengths); unknown fields and the CRDs' CEL rules are not checked";
