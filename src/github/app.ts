import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { readCatalog } from "../cli/read-catalog.js";
import { RenderMemo } from "../core/render/render-memo.js";
import { BlobCache } from "./blob-cache.js";
import { Deliveries } from "./deliveries.js";
import type { AppState } from "./evaluate-target.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onPullRequestReview } from "./handlers/pull-request-review.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onRerequested } from "./handlers/rerequested.js";

/**
 * The GitHub App: which events re-evaluate the gate (DESIGN §7). The rule catalog is read, and
 * the blob cache and the render memo made, once, here, at startup; every evaluation of the
 * process shares them.
 * Tests may pass their own (`state`); Probot passes its loader options, which are not used.
 */
export default function app(probot: Probot, options?: Partial<ApplicationFunctionOptions> & { state?: Partial<AppState> }): void {
  const state: AppState = {
    cache: options?.state?.cache ?? new BlobCache(),
    memo: options?.state?.memo ?? new RenderMemo(),
    catalog: options?.state?.catalog ?? readCatalog(),
  };

  // A delivery GitHub sends twice is handled once: one check run per event, one reply per command.
  const deliveries = new Deliveries();
  const once =
    <C extends Pick<Context, "id" | "log">>(handle: (context: C) => Promise<void>) =>
    async (context: C): Promise<void> => {
      const duplicate = await deliveries.handleOnce(context.id, () => handle(context));
      if (duplicate) context.log.info(`meshgate ignored delivery ${context.id}: a duplicate of one ${duplicate === "handled" ? "already handled" : "in progress"}`);
    };

  probot.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review", "pull_request.edited"],
    once((context) => onPullRequest(context, state)),
  );
  probot.on(["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"], once((context) => onPullRequestReview(context, state)));
  probot.on(["check_run.rerequested", "check_suite.rerequested"], once((context) => onRerequested(context, state)));
  probot.on("merge_group.checks_requested", once((context) => onMergeGroup(context, state)));
  probot.on("issue_comment.created", once((context) => onIssueComment(context, state)));
}
