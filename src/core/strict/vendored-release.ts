/** The Istio release whose CRD bundle is vendored (vendor/istio/<release>/); `npm run generate` reads it. */
export const VENDORED_ISTIO_RELEASE = "1.30.3";
