import type { JsonValue, KubeObject } from "../../types.js";
import { matchItems } from "../match-items.js";
import { policyTarget } from "./authorization-notes.js";
import type { NoteDraft, NoteInput } from "./note-draft.js";
import { pickList, pickString, pickStrings } from "./pick.js";

function issuerOf(rule: JsonValue | undefined): string {
  return pickString(rule, "issuer") ?? "?";
}

/**
 * RequestAuthentication: which token issuers, keys and audiences are accepted. It never
 * requires a token by itself (that is an AuthorizationPolicy, noted as `jwt` there), so an
 * issuer added widens who can present an identity.
 */
export function jwtNotes(input: NoteInput): NoteDraft[] {
  const { before, after } = input;
  const policy: KubeObject | undefined = after ?? before;
  if (!policy) return [];
  const target = policyTarget(policy);
  const notes: NoteDraft[] = [];
  for (const pair of matchItems(pickList(before?.spec, "jwtRules"), pickList(after?.spec, "jwtRules")).pairs) {
    const at = `/spec/jwtRules/${pair.afterIndex ?? pair.beforeIndex ?? 0}`;
    if (pair.before === undefined) {
      notes.push({ kind: "jwt", severity: "medium", effect: "weakens", text: `${target} now accepts tokens from issuer ${issuerOf(pair.after)}`, side: "head", pointer: at });
      continue;
    }
    if (pair.after === undefined) {
      notes.push({ kind: "jwt", severity: "low", effect: "strengthens", text: `${target} no longer accepts tokens from issuer ${issuerOf(pair.before)}: requests carrying them are rejected`, side: after ? "head" : "base", pointer: after ? "/spec/jwtRules" : at });
      continue;
    }
    const issuer = issuerOf(pair.after);
    const [baseKeys, headKeys] = [pickString(pair.before, "jwksUri"), pickString(pair.after, "jwksUri")];
    if (baseKeys !== headKeys) {
      notes.push({ kind: "jwt", severity: "medium", effect: "neutral", text: `keys of issuer ${issuer} for ${target} now come from ${headKeys ?? "the issuer's discovery document"} (was ${baseKeys ?? "the issuer's discovery document"})`, side: "head", pointer: `${at}/jwksUri` });
    }
    const [baseAudiences, headAudiences] = [pickStrings(pair.before, "audiences"), pickStrings(pair.after, "audiences")];
    const added = headAudiences.filter((a) => !baseAudiences.includes(a));
    const removed = baseAudiences.filter((a) => !headAudiences.includes(a));
    // No audiences means any audience is accepted.
    if (headAudiences.length === 0 && baseAudiences.length > 0) {
      notes.push({ kind: "jwt", severity: "medium", effect: "weakens", text: `tokens of issuer ${issuer} for ${target} are accepted for any audience (was ${baseAudiences.join(", ")})`, side: "head", pointer: at });
    } else {
      if (added.length > 0) notes.push({ kind: "jwt", severity: "medium", effect: "weakens", text: `tokens of issuer ${issuer} for ${target} now also accepted for audience ${added.join(", ")}`, side: "head", pointer: `${at}/audiences` });
      if (removed.length > 0) notes.push({ kind: "jwt", severity: "low", effect: "strengthens", text: `tokens of issuer ${issuer} for ${target} no longer accepted for audience ${removed.join(", ")}`, side: "head", pointer: `${at}/audiences` });
    }
  }
  return notes;
}
