import type { Delivery } from "../delivery.js";
import type { Job } from "../jobs.js";

/**
 * checks_requested: the rules on the merge group's head against its base, reported on the
 * group's head so the queue never waits on a missing check. No approvals (each pull request was
 * gated on them already) and no comment (a merge group has no conversation).
 */
export function mergeGroupJobs(context: Delivery<"merge_group.checks_requested">): Job[] {
  const { payload } = context;
  const group = payload.merge_group;
  return [{ kind: "merge-group", installationId: payload.installation?.id ?? 0, repo: context.repo(), deliveries: [context.id], headSha: group.head_sha, baseSha: group.base_sha }];
}
