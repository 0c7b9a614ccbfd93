import { commitObject, nodeId, repositoryObject, userObject, type Json } from "../github-objects.js";
import type { RepositoryRole, StoredPullRequest, StoredReview } from "../stand-in-state.js";
import { failure, integerParam, json, notFound, paginate, repositoryPath, type Route, type RouteRequest, type StandInContext } from "./route.js";

/** The base and head shas of a pull request now: the tips of its branches. */
export async function pullRequestShas(context: StandInContext, pr: StoredPullRequest): Promise<{ base: string; head: string }> {
  const [baseHeader, headHeader] = await context.git.headers([`refs/heads/${pr.base}^{commit}`, `refs/heads/${pr.head}^{commit}`]);
  const base = baseHeader?.sha;
  const head = headHeader?.sha;
  if (!base || !head) throw new Error(`pull request #${pr.number}: branch ${base ? pr.head : pr.base} is not in the repository`);
  return { base, head };
}

export function authorAssociation(context: StandInContext, login: string): string {
  if (login.endsWith("[bot]")) return "NONE";
  if (login === context.site.owner) return "OWNER";
  const role = context.state.permissions.get(login.toLowerCase());
  return role === undefined || role === "none" ? "NONE" : context.site.ownerType === "Organization" ? "MEMBER" : "COLLABORATOR";
}

/** A pull request as GET /repos/{owner}/{repo}/pulls/{pull_number} returns it (schema "pull-request"). */
export async function pullRequestObject(context: StandInContext, pr: StoredPullRequest): Promise<Json> {
  const { site, git, state } = context;
  const shas = await pullRequestShas(context, pr);
  const mergeBase = (await git.mergeBase(shas.base, shas.head)) ?? shas.base;
  const [commits, changes] = await Promise.all([git.commitsBetween(shas.base, shas.head), git.changes(mergeBase, shas.head)]);
  const repo = repositoryPath(context);
  const html = `${site.web}/${site.owner}/${site.name}/pull/${pr.number}`;
  const url = `${repo}/pulls/${pr.number}`;
  const headOwner = pr.headRepository?.owner ?? site.owner;
  const links = {
    self: { href: url },
    html: { href: html },
    issue: { href: `${repo}/issues/${pr.number}` },
    comments: { href: `${repo}/issues/${pr.number}/comments` },
    review_comments: { href: `${url}/comments` },
    review_comment: { href: `${repo}/pulls/comments{/number}` },
    commits: { href: `${url}/commits` },
    statuses: { href: `${repo}/statuses/${shas.head}` },
  };
  return {
    url,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: links.issue.href,
    commits_url: links.commits.href,
    review_comments_url: links.review_comments.href,
    review_comment_url: links.review_comment.href,
    comments_url: links.comments.href,
    statuses_url: links.statuses.href,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userObject(site, pr.author),
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.createdAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headOwner}:${pr.head}`,
      ref: pr.head,
      sha: shas.head,
      user: userObject(site, headOwner),
      repo: repositoryObject(site, pr.headRepository),
    },
    base: { label: `${site.owner}:${pr.base}`, ref: pr.base, sha: shas.base, user: userObject(site, site.owner), repo: repositoryObject(site) },
    _links: links,
    author_association: authorAssociation(context, pr.author),
    auto_merge: null,
    draft: pr.draft,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: "clean",
    merged_by: null,
    comments: state.comments.filter((c) => c.issueNumber === pr.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: commits.length,
    additions: changes.reduce((sum, c) => sum + (c.additions ?? 0), 0),
    deletions: changes.reduce((sum, c) => sum + (c.deletions ?? 0), 0),
    changed_files: changes.length,
  };
}

export function reviewObject(context: StandInContext, review: StoredReview): Json {
  const { site } = context;
  const html = `${site.web}/${site.owner}/${site.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${repositoryPath(context)}/pulls/${review.pullNumber}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: userObject(site, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: authorAssociation(context, review.user),
  };
}

function pullOf(request: RouteRequest, context: StandInContext): StoredPullRequest | undefined {
  const number = integerParam(request.params.pull_number);
  return number === undefined ? undefined : context.state.pulls.get(number);
}

/** The legacy `permission` GitHub still reports next to the role. */
const LEGACY_PERMISSION: Record<RepositoryRole, string> = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };
const RANK: RepositoryRole[] = ["none", "read", "triage", "write", "maintain", "admin"];

export const pullRoutes: Route[] = [
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}",
    auth: "installation",
    handle: async (request, context) => {
      const pr = pullOf(request, context);
      return pr ? json(200, await pullRequestObject(context, pr)) : notFound("https://docs.github.com/rest/pulls/pulls#get-a-pull-request");
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    auth: "installation",
    handle: (request, context) => {
      const pr = pullOf(request, context);
      if (!pr) return Promise.resolve(notFound("https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request"));
      const { page, headers } = paginate(
        request,
        context.state.reviews.filter((r) => r.pullNumber === pr.number),
      );
      return Promise.resolve(json(200, page.map((r) => reviewObject(context, r)), headers));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    auth: "installation",
    handle: async (request, context) => {
      const pr = pullOf(request, context);
      if (!pr) return notFound("https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request");
      const shas = await pullRequestShas(context, pr);
      // GitHub lists at most 250 commits of a pull request, the oldest ones.
      const listed = (await context.git.commitsBetween(shas.base, shas.head)).slice(0, context.limits.pullCommits);
      const { page, headers } = paginate(request, listed);
      const commits = await context.git.commits(page);
      return json(200, commits.map((c) => commitObject(context.site, c, context.loginOf)), headers);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
    auth: "installation",
    handle: async (request, context) => {
      const sha = await context.git.resolveCommit(request.params.commit_sha ?? "");
      if (!sha) return failure(422, `No commit found for SHA: ${request.params.commit_sha ?? ""}`, "https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit");
      // The pull requests whose commits include it: its head, or an earlier commit of the branch.
      const associated = [];
      for (const pr of context.state.pulls.values()) {
        const shas = await pullRequestShas(context, pr);
        if (shas.head === sha || (await context.git.commitsBetween(shas.base, shas.head)).includes(sha)) associated.push(pr);
      }
      const { page, headers } = paginate(request, associated);
      return json(200, await Promise.all(page.map((pr) => pullRequestObject(context, pr))), headers);
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    auth: "installation",
    handle: (request, context) => {
      const login = request.params.username ?? "";
      const role = login === context.site.owner ? "admin" : (context.state.permissions.get(login.toLowerCase()) ?? context.state.permissions.get("*") ?? "none");
      const at = (r: RepositoryRole): boolean => RANK.indexOf(role) >= RANK.indexOf(r);
      return Promise.resolve(
        json(200, {
          permission: LEGACY_PERMISSION[role],
          role_name: role,
          user: {
            ...userObject(context.site, login),
            permissions: { admin: at("admin"), maintain: at("maintain"), push: at("write"), triage: at("triage"), pull: at("read") },
            role_name: role,
          },
        }),
      );
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}/members",
    auth: "installation",
    handle: (request, context) => {
      const members = context.state.teams.get(`${request.params.org ?? ""}/${request.params.team_slug ?? ""}`.toLowerCase());
      if (!members) return Promise.resolve(notFound("https://docs.github.com/rest/teams/members#list-team-members"));
      const { page, headers } = paginate(request, members);
      return Promise.resolve(json(200, page.map((login) => userObject(context.site, login)), headers));
    },
  },
  {
    method: "GET",
    template: "/orgs/{org}/teams/{team_slug}/memberships/{username}",
    auth: "installation",
    handle: (request, context) => {
      const { org = "", team_slug: slug = "", username = "" } = request.params;
      const members = context.state.teams.get(`${org}/${slug}`.toLowerCase());
      if (!members?.some((m) => m.toLowerCase() === username.toLowerCase())) {
        return Promise.resolve(failure(404, "Not Found", "https://docs.github.com/rest/teams/members#get-team-membership-for-a-user"));
      }
      return Promise.resolve(json(200, { url: `${context.site.api}/orgs/${org}/teams/${slug}/memberships/${username}`, role: "member", state: "active" }));
    },
  },
];
