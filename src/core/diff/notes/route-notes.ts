import type { JsonValue } from "../../types.js";
import { matchItems, type ItemPair } from "../match-items.js";
import { sameJson } from "../same-json.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pick, pickList, pickObject, pickString } from "./pick.js";

const DEFAULT_RETRIES = "Istio's default (2 retries on connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes)";

function routeLabel(route: JsonValue | undefined, index: number): string {
  const name = pickString(route, "name");
  return name !== undefined ? `route \`${name}\`` : `http route ${index}`;
}

/** Each destination's share of the route's traffic in percent: weights are relative, and a lone destination gets everything. */
function shares(route: JsonValue | undefined): Map<string, number> {
  const destinations = pickList(route, "route");
  const weightOf = (d: JsonValue): number => {
    const weight = pick(d, "weight");
    return typeof weight === "number" ? weight : 0;
  };
  const total = destinations.reduce<number>((sum, d) => sum + weightOf(d), 0);
  const out = new Map<string, number>();
  for (const d of destinations) {
    const label = pickString(d, "destination", "subset") ?? pickString(d, "destination", "host") ?? "?";
    const share = destinations.length === 1 ? 100 : total > 0 ? (weightOf(d) / total) * 100 : 0;
    out.set(label, (out.get(label) ?? 0) + share);
  }
  return out;
}

function percent(share: number): string {
  return `${Math.round(share * 10) / 10}%`;
}

function describeRetries(retries: JsonValue | undefined): string {
  if (retries === undefined) return DEFAULT_RETRIES;
  const attempts = pick(retries, "attempts");
  if (attempts === 0) return "disabled (attempts: 0)";
  const perTry = pickString(retries, "perTryTimeout");
  const on = pickString(retries, "retryOn");
  return [
    `${typeof attempts === "number" ? attempts : "?"} ${attempts === 1 ? "retry" : "retries"}`,
    ...(perTry !== undefined ? [`per try timeout ${perTry}`] : []),
    ...(on !== undefined ? [`on ${on}`] : []),
  ].join(", ");
}

function describeFault(route: JsonValue | undefined): string {
  const parts: string[] = [];
  const abort = pickObject(route, "fault", "abort");
  if (abort) parts.push(`${percent(numberAt(abort, "percentage", "value"))} aborted with HTTP ${JSON.stringify(abort.httpStatus ?? "?")}`);
  const delay = pickObject(route, "fault", "delay");
  if (delay) parts.push(`${percent(numberAt(delay, "percentage", "value"))} delayed by ${pickString(delay, "fixedDelay") ?? "?"}`);
  const headers = [...new Set(pickList(route, "match").flatMap((m) => Object.keys(pickObject(m, "headers") ?? {})))];
  const scope = headers.length > 0 ? `requests with header ${headers.map((h) => `\`${h}\``).join(", ")}` : "all requests";
  return `${scope}: ${parts.join(", ") || "no fault"}`;
}

function numberAt(value: JsonValue, ...path: string[]): number {
  const found = pick(value, ...path);
  // Istio's percentage defaults to 100 when left out.
  return typeof found === "number" ? found : 100;
}

/**
 * VirtualService http routes, matched by name (else position): weights per destination,
 * retries, timeouts, fault injection, and the order in which routes match. A VirtualService
 * that appears or disappears is compared with Istio's defaults (no timeout, 2 retries).
 */
export function routeNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const { pairs, reordered } = matchItems(pickList(before?.spec, "http"), pickList(after?.spec, "http"), true);
  const notes: NoteDraft[] = [];
  for (const pair of pairs) notes.push(...routePairNotes(pair, { wholeResource: !before || !after }));
  if (reordered) {
    notes.push({
      kind: "route-order",
      severity: "medium",
      effect: "neutral",
      text: `http routes now match in the order ${reordered.after.join(", ")} (was ${reordered.before.join(", ")}): the first matching route wins`,
      side: "head",
      pointer: "/spec/http",
    });
  }
  return notes;
}

function routePairNotes(pair: ItemPair, options: { wholeResource: boolean }): NoteDraft[] {
  const { before, after } = pair;
  const label = routeLabel(after ?? before, pair.afterIndex ?? pair.beforeIndex ?? 0);
  // A note points at the field in the head, or in the base when the head no longer has it.
  const where = (field: string, inHead: boolean): Pick<NoteDraft, "side" | "pointer"> =>
    inHead && pair.afterIndex !== undefined
      ? { side: "head", pointer: `/spec/http/${pair.afterIndex}${field}` }
      : { side: "base", pointer: `/spec/http/${pair.beforeIndex ?? pair.afterIndex ?? 0}${field}` };
  const notes: NoteDraft[] = [];
  const both = before !== undefined && after !== undefined;

  // Fault injection, also on routes added or removed: the fault-injection trait adds a route of its own.
  const [baseFault, headFault] = [pick(before, "fault"), pick(after, "fault")];
  if (!sameJson(baseFault, headFault)) {
    if (headFault === undefined) {
      notes.push({ kind: "fault-injection", severity: "info", effect: "neutral", text: `fault injection removed from ${label} (was for ${describeFault(before)})`, ...where("/fault", false) });
    } else if (baseFault === undefined) {
      notes.push({
        kind: "fault-injection",
        severity: "medium",
        effect: "neutral",
        text: `fault injection added on ${label}, for ${describeFault(after)}; retries and timeouts do not apply to that route`,
        ...where("/fault", true),
      });
    } else {
      notes.push({ kind: "fault-injection", severity: "low", effect: "neutral", text: `fault injection on ${label}: for ${describeFault(before)} → for ${describeFault(after)}`, ...where("/fault", true) });
    }
  }
  if (!both && !options.wholeResource) return notes;

  const [baseShares, headShares] = [shares(before), shares(after)];
  const moved = [...new Set([...headShares.keys(), ...baseShares.keys()])]
    .filter((d) => (baseShares.get(d) ?? 0) !== (headShares.get(d) ?? 0))
    .map((d) => `${d} ${percent(baseShares.get(d) ?? 0)} → ${percent(headShares.get(d) ?? 0)}`);
  if (both && moved.length > 0) {
    notes.push({ kind: "traffic-weight", severity: "low", effect: "neutral", text: `traffic on ${label}: ${moved.join(", ")}`, ...where("/route", true) });
  } else if (!both && (after ? headShares : baseShares).size > 1) {
    const split = [...(after ? headShares : baseShares)].map(([d, s]) => `${d} ${percent(s)}`).join(", ");
    const text = after ? `traffic on ${label} split: ${split}` : `traffic split on ${label} removed (was ${split})`;
    notes.push({ kind: "traffic-weight", severity: "low", effect: "neutral", text, ...where("/route", after !== undefined) });
  }

  const [baseRetries, headRetries] = [pick(before, "retries"), pick(after, "retries")];
  if (!sameJson(baseRetries, headRetries)) {
    const text =
      headRetries === undefined
        ? `retries removed on ${label}: Istio's default (2 retries) applies again (was ${describeRetries(baseRetries)})`
        : baseRetries === undefined
          ? pick(headRetries, "attempts") === 0
            ? `retries disabled on ${label} (was Istio's default of 2 retries)`
            : `retries set on ${label}: ${describeRetries(headRetries)} (was Istio's default of 2 retries)`
          : `retries on ${label}: ${describeRetries(baseRetries)} → ${describeRetries(headRetries)}`;
    notes.push({ kind: "retries", severity: "low", effect: "neutral", text, ...where("/retries", headRetries !== undefined) });
  }

  const [baseTimeout, headTimeout] = [pickString(before, "timeout"), pickString(after, "timeout")];
  if (baseTimeout !== headTimeout) {
    const text =
      headTimeout === undefined
        ? `timeout removed on ${label}: requests no longer time out, Istio's default (was ${baseTimeout ?? "?"})`
        : baseTimeout === undefined
          ? `timeout set on ${label}: ${headTimeout} (was none, Istio's default)`
          : `timeout on ${label}: ${baseTimeout} → ${headTimeout}`;
    notes.push({ kind: "timeout", severity: "low", effect: "neutral", text, ...where("/timeout", headTimeout !== undefined) });
  }
  return notes;
}
