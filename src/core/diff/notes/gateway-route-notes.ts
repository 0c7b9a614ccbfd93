import type { JsonValue, KubeObject } from "../../types.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pickList, pickObject, pickStrings } from "./pick.js";

function onGateway(service: KubeObject | undefined): boolean {
  return pickStrings(service?.spec, "gateways").some((g) => g !== "mesh");
}

/** An http route's URI matches in words; a route without matches takes every path. */
function describeMatches(route: JsonValue): string {
  const uris = pickList(route, "match").map((m) => {
    const uri = pickObject(m, "uri");
    if (!uri) return "any path";
    const [key, value] = Object.entries(uri)[0] ?? ["prefix", "/"];
    return `${key} ${typeof value === "string" ? value : JSON.stringify(value)}`;
  });
  return uris.length === 0 ? "any path" : uris.join(", ");
}

function matchesAll(route: JsonValue): boolean {
  return describeMatches(route).split(", ").some((m) => m === "any path" || m === "prefix /");
}

/** VirtualService bound to a gateway: the paths it lets in from the edge, when they change. */
export function gatewayRouteNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  if (!before || !after || !onGateway(after)) return [];
  const name = `${after.metadata.namespace ?? ""}/${after.metadata.name}`;
  const [was, is] = [pickList(before.spec, "http"), pickList(after.spec, "http")];
  const notes: NoteDraft[] = [];
  is.forEach((route, i) => {
    const old = was[i];
    if (old === undefined) return;
    const [from, to] = [describeMatches(old), describeMatches(route)];
    if (from === to) return;
    const widened = matchesAll(route) && !matchesAll(old);
    notes.push({
      kind: "route-match",
      severity: widened ? "high" : "medium",
      effect: widened ? "weakens" : "neutral",
      text: `gateway route ${i} of ${name} matches ${to} (was ${from})${widened ? ": every path of its hosts is now reachable from the gateway" : ""}`,
      side: "head",
      pointer: `/spec/http/${i}/match`,
    });
  });
  return notes;
}
