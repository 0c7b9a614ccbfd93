import { appObject, nodeId, timestamp, userObject, type Json } from "../github-objects.js";
import type { ReactionContent, StoredComment, StoredReaction } from "../stand-in-state.js";
import { authorAssociation } from "./pulls.js";
import { failure, integerParam, json, notFound, paginate, repositoryPath, type Route, type RouteRequest, type RouteResponse, type StandInContext } from "./route.js";

const REACTIONS: ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

export function issueCommentObject(context: StandInContext, comment: StoredComment): Json {
  const { site } = context;
  const url = `${repositoryPath(context)}/issues/comments/${comment.id}`;
  const rollup: Json = { url: `${url}/reactions`, total_count: comment.reactions.length };
  for (const content of REACTIONS) rollup[content] = comment.reactions.filter((r) => r.content === content).length;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url,
    html_url: `${site.web}/${site.owner}/${site.name}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userObject(site, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repositoryPath(context)}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(context, comment.user),
    performed_via_github_app: comment.user.endsWith("[bot]") ? appObject(site) : null,
    reactions: rollup,
  };
}

function reactionObject(context: StandInContext, reaction: StoredReaction): Json {
  return { id: reaction.id, node_id: nodeId("Reaction", reaction.id), user: userObject(context.site, reaction.user), content: reaction.content, created_at: reaction.createdAt };
}

/** GitHub refuses a comment body over 65,536 characters with a "Validation Failed" 422 (not a schema error). */
function tooLong(context: StandInContext, body: string, docs: string): RouteResponse | undefined {
  const limit = context.limits.commentBody;
  if (Array.from(body).length <= limit) return undefined;
  return failure(422, "Validation Failed", docs, {
    errors: [{ resource: "IssueComment", code: "custom", field: "body", message: `body is too long (maximum is ${limit} characters)` }],
  });
}

function commentOf(request: RouteRequest, context: StandInContext): StoredComment | undefined {
  const id = integerParam(request.params.comment_id);
  return context.state.comments.find((c) => c.id === id);
}

/** Comments live on issues; the stand-in's only issues are its pull requests. */
function issueExists(request: RouteRequest, context: StandInContext): number | undefined {
  const number = integerParam(request.params.issue_number);
  return number !== undefined && context.state.pulls.has(number) ? number : undefined;
}

export const issueCommentRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    auth: "installation",
    handle: (request, context) => {
      const number = issueExists(request, context);
      if (number === undefined) return Promise.resolve(notFound("https://docs.github.com/rest/issues/comments#list-issue-comments"));
      const since = request.query.get("since");
      const listed = context.state.comments.filter((c) => c.issueNumber === number && (since === null || c.updatedAt >= timestamp(since)));
      const { page, headers } = paginate(request, listed);
      return Promise.resolve(json(200, page.map((c) => issueCommentObject(context, c)), headers));
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    auth: "installation",
    handle: (request, context) => {
      const docs = "https://docs.github.com/rest/issues/comments#create-an-issue-comment";
      const number = issueExists(request, context);
      if (number === undefined) return Promise.resolve(notFound(docs));
      const { body } = request.body as { body: string };
      const refused = tooLong(context, body, docs);
      if (refused) return Promise.resolve(refused);
      const now = timestamp(context.now());
      const comment: StoredComment = { id: context.state.nextId("comment"), issueNumber: number, user: request.actor, body, createdAt: now, updatedAt: now, edits: [], reactions: [] };
      context.state.comments.push(comment);
      return Promise.resolve(json(201, issueCommentObject(context, comment), { location: issueCommentObject(context, comment).url as string }));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (request, context) => {
      const comment = commentOf(request, context);
      return Promise.resolve(comment ? json(200, issueCommentObject(context, comment)) : notFound("https://docs.github.com/rest/issues/comments#get-an-issue-comment"));
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (request, context) => {
      const docs = "https://docs.github.com/rest/issues/comments#update-an-issue-comment";
      const comment = commentOf(request, context);
      if (!comment) return Promise.resolve(notFound(docs));
      const { body } = request.body as { body: string };
      const refused = tooLong(context, body, docs);
      if (refused) return Promise.resolve(refused);
      comment.edits.push(comment.body);
      comment.body = body;
      comment.updatedAt = timestamp(context.now());
      return Promise.resolve(json(200, issueCommentObject(context, comment)));
    },
  },
  {
    method: "DELETE",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    auth: "installation",
    handle: (request, context) => {
      const comment = commentOf(request, context);
      if (!comment) return Promise.resolve(notFound("https://docs.github.com/rest/issues/comments#delete-an-issue-comment"));
      context.state.comments.splice(context.state.comments.indexOf(comment), 1);
      return Promise.resolve({ status: 204 });
    },
  },
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    auth: "installation",
    handle: (request, context) => {
      const comment = commentOf(request, context);
      if (!comment) return Promise.resolve(notFound("https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment"));
      const { content } = request.body as { content: ReactionContent };
      // The same reaction from the same user again: 200 with the existing one.
      const existing = comment.reactions.find((r) => r.content === content && r.user === request.actor);
      if (existing) return Promise.resolve(json(200, reactionObject(context, existing)));
      const reaction: StoredReaction = { id: context.state.nextId("reaction"), content, user: request.actor, createdAt: timestamp(context.now()) };
      comment.reactions.push(reaction);
      return Promise.resolve(json(201, reactionObject(context, reaction)));
    },
  },
];
