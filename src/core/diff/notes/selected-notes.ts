import { policyScope, scopeText } from "../../authorization/policy-scope.js";
import { kindInfo } from "../../kinds.js";
import { selectsNoWorkload } from "../../rules/mesh-index.js";
import type { KubeObject, Resource } from "../../types.js";
import type { NoteKind } from "../change-set.js";
import { meshIndexOf } from "./mesh-index-of.js";
import type { NoteDraft, NoteInput, NoteRule } from "./note-draft.js";

function resourceOf(object: KubeObject): Resource {
  return { object, source: { file: "", line: 0 } };
}

/**
 * The notes of a policy-like kind, judged by what each version of the policy selects in its own
 * render rather than by what it says. A version that selects no workload (MESH-006's test) has
 * no effect, so its text can neither protect nor expose anything:
 * - the head selects none: one note "selects no workload: has no effect", which weakens when
 *   the base version selected workloads (they lose what it enforced), and is neutral otherwise;
 * - the base selected none and the policy is removed: one note, removing it changes nothing;
 * - the base selected none and the head selects workloads: the kind's notes as for a policy added.
 * `kind` is the note kind the policy's own notes carry (mtls, jwt, authorization, egress).
 */
export function selectedNotes(kind: NoteKind, rules: readonly NoteRule[]): NoteRule {
  const rule = (input: NoteInput): NoteDraft[] => {
    const { before, after, mesh } = input;
    const policy = after ?? before;
    if (!policy) return [];
    const baseSelected = before ? meshIndexOf(input.base, mesh).selectedBy(resourceOf(before)) : [];
    const baseInert = before !== undefined && selectsNoWorkload(resourceOf(before), meshIndexOf(input.base, mesh));
    const headInert = after !== undefined && selectsNoWorkload(resourceOf(after), meshIndexOf(input.head, mesh));
    if (!baseInert && !headInert) return rules.flatMap((r) => r(input));

    const name = `${policy.kind} ${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
    const scope = scopeText(policyScope(resourceOf(policy), mesh.rootNamespace));
    const pointer = `/${(kindInfo(policy)?.selects?.selector ?? ["spec", "selector", "matchLabels"]).join("/")}`;
    if (after && headInert) {
      if (before && !baseInert && baseSelected.length > 0) {
        const shown = baseSelected.slice(0, 3).map((w) => `${w.namespace}/${w.name}`).join(", ");
        const more = baseSelected.length > 3 ? ` and ${baseSelected.length - 3} more` : "";
        return [{ kind, severity: "high", effect: "weakens", text: `${name} selects no workload (${scope}): has no effect; in the base it applied to ${shown}${more}, which lose what it enforced`, side: "head", pointer }];
      }
      return [{ kind, severity: "medium", effect: "neutral", text: `${name} selects no workload (${scope}): has no effect, whatever its rules ${before ? "now " : ""}say`, side: "head", pointer }];
    }
    if (!after) {
      return [{ kind, severity: "info", effect: "neutral", text: `${name} removed: it selected no workload (${scope}), so removing it has no effect`, side: "base", pointer: "" }];
    }
    // The base version selected nothing: the head's policy takes effect as if it were added.
    const added: NoteInput = { after, base: input.base, head: input.head, mesh };
    return rules.flatMap((r) => r(added));
  };
  // Named after the rules it wraps: the README's kinds table lists notes by rule name.
  return Object.defineProperty(rule, "name", { value: rules.map((r) => r.name).join(", ") });
}
