import type { Delivery } from "../delivery.js";
import type { Job } from "../jobs.js";

/** submitted, dismissed, edited: approvals changed, so the verdict on the review's head may have. */
export function pullRequestReviewJobs(context: Delivery<"pull_request_review">): Job[] {
  const { payload } = context;
  const pr = payload.pull_request;
  return [{ kind: "pull-request", installationId: payload.installation?.id ?? 0, repo: context.repo(), deliveries: [context.id], number: pr.number, heads: [pr.head.sha], superseded: [] }];
}
