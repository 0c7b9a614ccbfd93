import { DefinitionEvaluations } from "../core/definitions/definition-evaluations.js";
import type { Snapshot } from "../core/types.js";
import { startCueEvaluator } from "./start-cue-evaluator.js";

let shared: DefinitionEvaluations | undefined;

/** Whether a snapshot may hold a KubeVela definition: a cheap look at its texts, no parsing. */
function mayHoldDefinition(snapshot: Snapshot): boolean {
  for (const text of snapshot.files.values()) if (/\bkind"?\s*:\s*"?(Trait|Component)Definition\b/.test(text)) return true;
  return false;
}

/**
 * The evaluations the core renders repository definitions through: CUE is started the first
 * time a snapshot holds a definition, and the one memo then serves every later evaluation of
 * the process (a fresh one once it stopped). Undefined (and nothing started) while no snapshot holds one.
 */
export async function evaluationsFor(snapshots: readonly Snapshot[]): Promise<DefinitionEvaluations | undefined> {
  if (shared && !shared.stopped) return shared;
  if (!shared && !snapshots.some(mayHoldDefinition)) return undefined;
  // A stopped evaluator is replaced; what it answered before it stopped is kept.
  shared = new DefinitionEvaluations(await startCueEvaluator(), shared);
  return shared;
}
