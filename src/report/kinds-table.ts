import { KINDS, type KindInfo } from "../core/kinds.js";
import { GATEWAY_API_CHECKS, GATEWAY_API_RELEASE } from "../core/strict/gateway-api-checks.js";
import { GATEWAY_API_FIELDS_JSON } from "../core/strict/gateway-api-fields.gen.js";
import type { KnownFields } from "../core/strict/known-fields.js";
import { ISTIO_RELEASE } from "../core/strict/istio-crd-schemas.gen.js";

const FAMILY: Record<KindInfo["family"], string> = { istio: "Istio", "gateway-api": "Gateway API", kubernetes: "Kubernetes", kubevela: "KubeVela" };

/** The README's table of the kinds registry: generated (`npm run generate`), never kept by hand. */
export function kindsMarkdownTable(): string {
  const fields = JSON.parse(GATEWAY_API_FIELDS_JSON) as KnownFields;
  const gatewayApi = (k: KindInfo): string => {
    const known = k.versions.filter((v) => `${k.group}/${v}/${k.kind}` in fields.kinds);
    if (known.length === 0) return "model validators; no field tree, so unknown fields are not checked";
    return `model validators; unknown fields rejected at ${known.join(", ")} (Gateway API ${GATEWAY_API_RELEASE} fields)`;
  };
  const rows = KINDS.map((k) => {
    const shown = k.notes.length > 0 ? `as-is, with notes (${k.notes.map((n) => n.name.replace(/Notes$/, "")).join(", ")})` : "as-is";
    const notes = k.readsOnly ? `${shown}; raw documents only when named ${k.readsOnly.names}` : shown;
    const security = k.securityRelevant === true ? "always" : k.securityRelevant === false ? "no" : "when what it decides changes";
    const strict = k.family === "istio" ? `strict: Istio ${ISTIO_RELEASE} CRD schema and CEL rules` : k.family === "gateway-api" ? gatewayApi(k) : k.family === "kubevela" ? "KubeVela definition reader (CUE template evaluated)" : "kubernetes-models validators";
    return `| ${k.kind} | ${k.group === "" ? "core" : `\`${k.group}\``} | ${k.versions.join(", ")} | ${FAMILY[k.family]} | ${notes} | ${security} | ${strict} |`;
  });
  return [
    "| Kind | Group | Versions | Family | Renders and diffs | Security-relevant (CHG-002) | Raw documents validated by |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Gateway API kinds are ${GATEWAY_API_CHECKS}.`,
  ].join("\n");
}
