/** A GitHub API stand-in for tests, the demo and the benchmarks (not product code). See README.md. */
export { GitHubStandIn, ROUTES, startGitHubStandIn, type GitHubStandInOptions, type RecordedCall } from "./github-stand-in.js";
export type { Fault } from "./faults.js";
export type { StandInLimits } from "./routes/route.js";
export type {
  CheckRunAnnotation,
  PullRequestSetup,
  ReactionContent,
  RepositoryRole,
  ReviewState,
  StoredCheckRun,
  StoredComment,
  StoredPullRequest,
  StoredReaction,
  StoredReview,
} from "./stand-in-state.js";
export { longestSequentialChain, sequentialDepth, type Interval } from "./sequential-depth.js";
export { ScratchRepository, createShopRepository, readFileSet, type CommitOptions, type FileSet } from "./scratch-repository.js";
export { GitRepository } from "./git-repository.js";
export { deliverWebhook, signedDelivery, type WebhookDelivery } from "./webhook-delivery.js";
export {
  issueCommentCreated,
  pullRequestEvent,
  pullRequestOpened,
  pullRequestReviewEvent,
  pullRequestReviewSubmitted,
  pullRequestSynchronize,
  type WebhookPayload,
} from "./webhook-payloads.js";
export { responseValidator, requestBodyValidator } from "./rest-description.js";
