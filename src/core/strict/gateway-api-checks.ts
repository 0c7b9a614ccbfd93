import { GATEWAY_API_MODELS_VERSION } from "./gateway-api-fields.gen.js";

/**
 * The Gateway API release whose Go types @kubernetes-models/gateway-api is generated from (its
 * go.mod pins sigs.k8s.io/gateway-api at this version): what the known fields stand for.
 */
export const GATEWAY_API_RELEASE = "v1.5.1";

/** What meshgate checks of a Gateway API document, as a diagnostic and the README say it. */
export const GATEWAY_API_CHECKS =
  `checked with the @kubernetes-models/gateway-api ${GATEWAY_API_MODELS_VERSION} validators (types, enums, required fields, patterns, lengths) and, strictly, against the fields its declarations of Gateway API ${GATEWAY_API_RELEASE} name (unknown fields rejected); the CRDs' CEL rules are not checked`;
