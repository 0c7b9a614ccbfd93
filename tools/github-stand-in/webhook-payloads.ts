import { createRequire } from "node:module";
import type { Context } from "probot";
import type { GitHubStandIn } from "./github-stand-in.js";
import { nodeId, type Json } from "./github-objects.js";
import type { StoredComment, StoredReview } from "./stand-in-state.js";

/** The payload Probot hands a handler for an event ("pull_request.opened", "issue_comment", …). */
export type WebhookPayload<E extends Context["name"]> = Context<E>["payload"];

const require = createRequire(import.meta.url);
// Loaded through require: the package is a JSON file whose typings declare an ESM default export.
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Json[] }[];

/** A deep copy of a real example payload of @octokit/webhooks-examples, preferring one from an app installation. */
function example(event: string, action: string): Json {
  const candidates = examples.find((d) => d.name === event)?.examples.filter((p) => p.action === action) ?? [];
  const chosen = candidates.find((p) => "installation" in p) ?? candidates[0];
  if (!chosen) throw new Error(`@octokit/webhooks-examples has no ${event}.${action}`);
  return structuredClone(chosen);
}

/** The fields every event of the stand-in's repository shares: repository, organization, installation, sender. */
function envelope(standIn: GitHubStandIn, payload: Json, sender: string): Json {
  const installation = { id: standIn.installationId, node_id: nodeId("Installation", standIn.installationId) };
  const repository = { ...(payload.repository as Json), ...standIn.repositoryObject() };
  const out: Json = { ...payload, repository, installation, sender: standIn.userObject(sender) };
  if (standIn.site.ownerType === "Organization") {
    const owner = standIn.userObject(standIn.owner);
    out.organization = { ...(payload.organization as Json | undefined), login: owner.login, id: owner.id, node_id: owner.node_id, url: `${standIn.url}/orgs/${standIn.owner}` };
  } else {
    delete out.organization;
  }
  return out;
}

/** A pull_request event for a pull request of the stand-in: its head and base shas are the branches' tips now. */
export async function pullRequestEvent(
  standIn: GitHubStandIn,
  action: "opened" | "synchronize" | "reopened" | "ready_for_review" | "edited",
  number: number,
  options: { before?: string } = {},
): Promise<WebhookPayload<"pull_request">> {
  const base = example("pull_request", action === "synchronize" || action === "opened" ? action : "opened");
  const pullRequest = { ...(base.pull_request as Json), ...(await standIn.pullRequestObject(number)) };
  const payload: Json = { ...base, action, number, pull_request: pullRequest };
  if (action === "synchronize") {
    payload.before = options.before ?? (pullRequest.base as Json).sha;
    payload.after = (pullRequest.head as Json).sha;
  } else {
    delete payload.before;
    delete payload.after;
  }
  if (action === "edited") payload.changes = { base: { ref: { from: (pullRequest.base as Json).ref }, sha: { from: (pullRequest.base as Json).sha } } };
  return envelope(standIn, payload, String((pullRequest.user as Json).login)) as unknown as WebhookPayload<"pull_request">;
}

export function pullRequestOpened(standIn: GitHubStandIn, number: number): Promise<WebhookPayload<"pull_request.opened">> {
  return pullRequestEvent(standIn, "opened", number) as Promise<WebhookPayload<"pull_request.opened">>;
}

/** `before` is the previous head (default: the base sha, which a test rarely cares about). */
export function pullRequestSynchronize(standIn: GitHubStandIn, number: number, before?: string): Promise<WebhookPayload<"pull_request.synchronize">> {
  return pullRequestEvent(standIn, "synchronize", number, before === undefined ? {} : { before }) as Promise<WebhookPayload<"pull_request.synchronize">>;
}

/** A pull_request_review event for a review added with standIn.addReview (state in lower case, as webhooks send it). */
export async function pullRequestReviewEvent(standIn: GitHubStandIn, action: "submitted" | "dismissed" | "edited", review: StoredReview): Promise<WebhookPayload<"pull_request_review">> {
  const base = example("pull_request_review", action === "dismissed" ? "dismissed" : "submitted");
  const pullRequest = { ...(base.pull_request as Json), ...(await standIn.pullRequestObject(review.pullNumber)) };
  const html = `${String(pullRequest.html_url)}#pullrequestreview-${review.id}`;
  const payload: Json = {
    ...base,
    action,
    pull_request: pullRequest,
    review: {
      ...(base.review as Json),
      id: review.id,
      node_id: nodeId("PullRequestReview", review.id),
      user: standIn.userObject(review.user),
      body: review.body === "" ? null : review.body,
      commit_id: review.commitId,
      submitted_at: review.submittedAt,
      state: review.state.toLowerCase(),
      html_url: html,
      pull_request_url: pullRequest.url,
      author_association: standIn.authorAssociation(review.user),
      _links: { html: { href: html }, pull_request: { href: pullRequest.url } },
    },
  };
  if (action === "edited") payload.changes = {};
  return envelope(standIn, payload, review.user) as unknown as WebhookPayload<"pull_request_review">;
}

export function pullRequestReviewSubmitted(standIn: GitHubStandIn, review: StoredReview): Promise<WebhookPayload<"pull_request_review.submitted">> {
  return pullRequestReviewEvent(standIn, "submitted", review) as Promise<WebhookPayload<"pull_request_review.submitted">>;
}

/** An issue_comment.created event for a comment added with standIn.addComment, on the pull request's issue. */
export async function issueCommentCreated(standIn: GitHubStandIn, comment: StoredComment): Promise<WebhookPayload<"issue_comment.created">> {
  const base = example("issue_comment", "created");
  const pr = await standIn.pullRequestObject(comment.issueNumber);
  const issueUrl = `${standIn.url}/repos/${standIn.owner}/${standIn.name}/issues/${comment.issueNumber}`;
  const issue: Json = {
    ...(base.issue as Json),
    url: issueUrl,
    repository_url: `${standIn.url}/repos/${standIn.owner}/${standIn.name}`,
    comments_url: `${issueUrl}/comments`,
    html_url: pr.html_url,
    id: pr.id,
    node_id: pr.node_id,
    number: comment.issueNumber,
    title: pr.title,
    user: pr.user,
    state: pr.state,
    body: pr.body,
    draft: pr.draft,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    closed_at: null,
    author_association: pr.author_association,
    pull_request: { url: pr.url, html_url: pr.html_url, diff_url: pr.diff_url, patch_url: pr.patch_url, merged_at: null },
  };
  const html = `${String(pr.html_url)}#issuecomment-${comment.id}`;
  const payload: Json = {
    ...base,
    action: "created",
    issue,
    comment: {
      ...(base.comment as Json),
      id: comment.id,
      node_id: nodeId("IssueComment", comment.id),
      url: `${standIn.url}/repos/${standIn.owner}/${standIn.name}/issues/comments/${comment.id}`,
      html_url: html,
      issue_url: issueUrl,
      body: comment.body,
      user: standIn.userObject(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: standIn.authorAssociation(comment.user),
      performed_via_github_app: null,
    },
  };
  return envelope(standIn, payload, comment.user) as unknown as WebhookPayload<"issue_comment.created">;
}

