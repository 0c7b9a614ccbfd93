import type { ReviewInputs } from "../core/evaluate.js";
import type { Permission, PullRequestCommit, Review, ReviewState } from "../core/owners/approvals.js";
import { gatherPages, PER_PAGE } from "./gather-pages.js";
import { gatherSettled } from "./gather-settled.js";
import { statusOf } from "./gather-status.js";
import { gatherTeams } from "./gather-teams.js";
import { CouldNotEvaluate, type EvaluationTarget, type GitHubClient, type RepoRef } from "./target.js";

/** GitHub lists at most this many commits of a pull request, silently dropping the rest. */
export const MAX_PULL_REQUEST_COMMITS = 250;

const REVIEW_STATES: ReadonlySet<string> = new Set<ReviewState>(["APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"]);
const PERMISSIONS: ReadonlySet<string> = new Set<Permission>(["admin", "maintain", "write", "triage", "read", "none"]);

/**
 * The people of a pull request as the approval rules need them: its reviews and commits (each
 * list's pages in parallel once the first page gives their count), the repository permission
 * of everyone who approved, and the members of `teams` once they are known.
 */
export async function gatherReview(params: {
  octokit: GitHubClient;
  repo: RepoRef;
  pullRequest: NonNullable<EvaluationTarget["pullRequest"]>;
  headSha: string;
  /** The teams to resolve (`org/team`), known only once the change and the policy are. */
  teams: Promise<readonly string[]>;
}): Promise<ReviewInputs> {
  const { octokit, repo, pullRequest, headSha } = params;
  const list = { owner: repo.owner, repo: repo.repo, pull_number: pullRequest.number, per_page: PER_PAGE };
  const reviews = gatherPages((page) => octokit.rest.pulls.listReviews({ ...list, page })).then((items) => items.flatMap(reviewOf));
  const commits = gatherPages((page) => octokit.rest.pulls.listCommits({ ...list, page }));
  const permissions = reviews.then((items) => gatherPermissions({ octokit, repo, logins: approversOf(items, pullRequest.author) }));
  const teams = params.teams.then((names) => gatherTeams({ octokit, teams: names }));
  const [reviewList, commitList, permissionMap, teamMap] = await gatherSettled([reviews, commits, permissions, teams]);

  // The list is the first 250 commits: when the head is not among them, it was truncated (or
  // the head moved since the event): committers could be missing, who must not approve.
  if (!commitList.some((commit) => commit.sha === headSha)) {
    throw new CouldNotEvaluate(`the commits GitHub lists for pull request #${pullRequest.number} do not include its head ${headSha} (GitHub lists at most ${MAX_PULL_REQUEST_COMMITS}), so its committers are not known`);
  }
  return {
    reviews: reviewList,
    author: pullRequest.author,
    commits: commitList.map(commitOf),
    permissions: permissionMap,
    teams: teamMap,
    headSha,
  };
}

type ApiReview = Awaited<ReturnType<GitHubClient["rest"]["pulls"]["listReviews"]>>["data"][number];
type ApiCommit = Awaited<ReturnType<GitHubClient["rest"]["pulls"]["listCommits"]>>["data"][number];

/**
 * A submitted review. Pending ones are drafts; a review without a user has nobody to count. A
 * review GitHub gives no time for is kept with an empty time, which the core cannot date and
 * so fails closed on: dropping it could revive the approval it withdrew.
 */
function reviewOf(review: ApiReview): Review[] {
  if (!review.user || !REVIEW_STATES.has(review.state)) return [];
  return [{ reviewer: review.user.login, state: review.state as ReviewState, commitId: review.commit_id ?? "", submittedAt: review.submitted_at ?? "" }];
}

function commitOf(commit: ApiCommit): PullRequestCommit {
  return { sha: commit.sha, parents: commit.parents.length, author: commit.author?.login ?? null, committer: commit.committer?.login ?? null };
}

/** Everyone whose approval could count: permission only matters for them, and the author never counts. */
function approversOf(reviews: readonly Review[], author: string): string[] {
  const logins = new Map<string, string>();
  for (const review of reviews) {
    const key = review.reviewer.toLowerCase();
    if (review.state === "APPROVED" && key !== author.toLowerCase()) logins.set(key, review.reviewer);
  }
  return [...logins.values()].sort();
}

/**
 * Repository permission by login. `role_name` names the role actually held (maintain, triage,
 * or a custom role), `permission` the base one; a custom role is judged by its base. A user
 * GitHub does not know (404) is left out: unknown, which the core fails closed on.
 */
async function gatherPermissions(params: { octokit: GitHubClient; repo: RepoRef; logins: readonly string[] }): Promise<Record<string, Permission>> {
  const { octokit, repo } = params;
  const found = await Promise.all(
    params.logins.map(async (login): Promise<[string, Permission] | undefined> => {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: login });
        const permission = [data.role_name, data.permission].find((p): p is Permission => PERMISSIONS.has(p));
        return permission === undefined ? undefined : [login, permission];
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    }),
  );
  return Object.fromEntries(found.filter((entry) => entry !== undefined));
}
