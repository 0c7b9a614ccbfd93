import { KINDS, type KindInfo } from "../core/kinds.js";
import { GATEWAY_API_CHECKS } from "../core/strict/gateway-api-checks.js";
import { ISTIO_RELEASE } from "../core/strict/istio-crd-schemas.gen.js";

const FAMILY: Record<KindInfo["family"], string> = { istio: "Istio", "gateway-api": "Gateway API", kubernetes: "Kubernetes", kubevela: "KubeVela" };

/** The README's table of the kinds registry: generated (`npm run generate`), never kept by hand. */
export function kindsMarkdownTable(): string {
  const rows = KINDS.map((k) => {
    const shown = k.notes.length > 0 ? `as-is, with notes (${k.notes.map((n) => n.name.replace(/Notes$/, "")).join(", ")})` : "as-is";
    const notes = k.readsOnly ? `${shown}; raw documents only when named ${k.readsOnly.names}` : shown;
    const security = k.securityRelevant === true ? "always" : k.securityRelevant === false ? "no" : "when what it decides changes";
    const strict = k.family === "istio" ? `strict: Istio ${ISTIO_RELEASE} CRD schema and CEL rules` : k.family === "gateway-api" ? "model validators" : k.family === "kubevela" ? "KubeVela definition reader (CUE template evaluated)" : "kubernetes-models validators";
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
