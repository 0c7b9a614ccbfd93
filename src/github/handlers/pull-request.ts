import type { Delivery } from "../delivery.js";
import type { Job } from "../jobs.js";

export type PullRequestEvent = "pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request.ready_for_review" | "pull_request.edited";

/** A new head, a new base, or a pull request back in play: the payload carries the whole pull request. */
export function pullRequestJobs(context: Delivery<PullRequestEvent>): Job[] {
  const { payload } = context;
  // A new title or body changes nothing meshgate reads; a new base branch changes everything.
  if (payload.action === "edited" && payload.changes.base === undefined) return [];
  const pr = payload.pull_request;
  const { commits } = pr;
  // A push names the head it replaced: an event for that one, arriving late, is stale.
  const superseded = payload.action === "synchronize" && payload.before !== pr.head.sha ? [payload.before] : [];
  return [
    {
      kind: "pull-request",
      installationId: payload.installation?.id ?? 0,
      repo: context.repo(),
      deliveries: [context.id],
      number: pr.number,
      heads: [pr.head.sha],
      superseded,
      // GitHub's schema makes the commit count optional on some actions; the job fetches the pull request when absent.
      ...(commits !== undefined ? { target: { headSha: pr.head.sha, baseSha: pr.base.sha, author: pr.user?.login ?? "ghost", commits } } : {}),
    },
  ];
}
