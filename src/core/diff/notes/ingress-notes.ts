import type { KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pickList, pickObject, pickString } from "./pick.js";

/** The class an Ingress asks for: `spec.ingressClassName`, else the legacy annotation. */
function ingressClass(ingress: KubeObject): string | undefined {
  return pickString(ingress.spec, "ingressClassName") ?? ingress.metadata.annotations?.["kubernetes.io/ingress.class"];
}

function hostsOf(ingress: KubeObject | undefined): string[] {
  return pickList(ingress?.spec, "rules").map((r) => pickString(r, "host") ?? "*");
}

function tlsHosts(ingress: KubeObject | undefined): Set<string> {
  return new Set(pickList(ingress?.spec, "tls").flatMap((t) => pickList(t, "hosts").flatMap((h) => (typeof h === "string" ? [h] : []))));
}

/**
 * Ingress: who serves it (class `istio` is Istio's ingress gateway), which hosts become public,
 * and which of them are served without TLS.
 */
export function ingressNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const ingress = after ?? before;
  if (!ingress) return [];
  const name = `${ingress.metadata.namespace ?? ""}/${ingress.metadata.name}`;
  const notes: NoteDraft[] = [];
  if (!after) {
    notes.push({ kind: "ingress", severity: "low", effect: "strengthens", text: `Ingress ${name} removed: hosts ${hostsOf(before).join(", ")} no longer served through it`, side: "base", pointer: "" });
    return notes;
  }
  const cls = ingressClass(after);
  const by = cls === "istio" ? "Istio's ingress gateway" : cls !== undefined ? `ingress class ${cls}` : "the cluster's default ingress class";
  const baseHosts = hostsOf(before);
  for (const [i, host] of hostsOf(after).entries()) {
    if (baseHosts.includes(host)) continue;
    notes.push({ kind: "public-host", severity: "high", effect: "weakens", text: `new public host ${host} on Ingress ${name}, served by ${by}`, side: "head", pointer: `/spec/rules/${i}` });
  }
  const [wasTls, isTls] = [tlsHosts(before), tlsHosts(after)];
  const plain = hostsOf(after).filter((h) => !isTls.has(h) && (!before || wasTls.has(h) || !baseHosts.includes(h)));
  if (plain.length > 0) {
    notes.push({ kind: "ingress", severity: "high", effect: "weakens", text: `Ingress ${name} serves ${plain.join(", ")} in plaintext: no \`tls\` for ${plain.length === 1 ? "it" : "them"} (a KubeVela gateway trait needs \`secretName\`)`, side: "head", pointer: pickObject(after.spec, "tls") ? "/spec/tls" : "/spec/rules" });
  }
  return notes;
}
