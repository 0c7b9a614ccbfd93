import type { Context } from "probot";
import { evaluateTarget, type AppState } from "../evaluate-target.js";

/**
 * checks_requested: the rules on the merge group's head against its base, reported on the
 * group's head so the queue never waits on a missing check. No approvals (each pull request was
 * gated on them already) and no comment (a merge group has no conversation).
 */
export async function onMergeGroup(context: Context<"merge_group.checks_requested">, state: AppState): Promise<void> {
  const group = context.payload.merge_group;
  const repo = context.repo();
  const target = { repo, headSha: group.head_sha, baseSha: group.base_sha };
  await evaluateTarget({ context, state, check: { repo, headSha: group.head_sha }, target });
}
