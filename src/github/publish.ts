import type { CheckAnnotation, CheckRunOutput } from "../report/check-run.js";
import { COMMENT_MARKER, NO_MESH_CHANGES_COMMENT } from "../report/comment.js";
import type { GitHubClient, RepoRef } from "./target.js";

/** The check run's name: the status admins make required (pinned to this app). */
export const CHECK_RUN_NAME = "meshgate";
/** GitHub takes at most 50 annotations per create or update request. */
const ANNOTATIONS_PER_REQUEST = 50;

/**
 * Creates the check run `meshgate` on the head commit, in progress, at once: the PR shows that
 * meshgate is looking, and a required check is never missing. Returns the check run's id.
 * No `started_at`: GitHub stamps the creation time itself, and the body stays deterministic.
 * `externalId` names the job and head it is for, so that a retry finds it (findOpenCheck).
 */
export async function startCheck(params: { octokit: GitHubClient; repo: RepoRef; headSha: string; externalId?: string }): Promise<number> {
  const { octokit, repo, headSha, externalId } = params;
  const { data } = await octokit.rest.checks.create({ ...repo, name: CHECK_RUN_NAME, head_sha: headSha, status: "in_progress", ...(externalId !== undefined ? { external_id: externalId } : {}) });
  return data.id;
}

/**
 * The check run still in progress on `headSha` that an earlier run of the same job started
 * (its `external_id`), if any: a worker killed between creating a check and putting it on record
 * leaves one that only GitHub knows of. The newest, when several are.
 */
export async function findOpenCheck(params: { octokit: GitHubClient; repo: RepoRef; headSha: string; externalId: string }): Promise<number | undefined> {
  const { octokit, repo, headSha, externalId } = params;
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: headSha, check_name: CHECK_RUN_NAME, status: "in_progress", filter: "all", per_page: 100 });
  return runs.filter((r) => r.external_id === externalId && r.head_sha === headSha).sort((a, b) => b.id - a.id)[0]?.id;
}

/** The external_id of the check a job starts on a head: the job's key and the head sha. */
export function checkExternalId(key: string, headSha: string): string {
  return `${key}@${headSha}`;
}

/**
 * Completes the check run with its conclusion and output. The first request completes it with
 * the first 50 annotations, so the gate's outcome is on record even if a later batch fails;
 * each further request appends the next 50 (GitHub appends annotations on update), repeating
 * the output's text fields, which the API requires with every output.
 */
export async function completeCheck(params: { octokit: GitHubClient; repo: RepoRef; checkRunId: number; output: CheckRunOutput }): Promise<void> {
  const { octokit, repo, checkRunId, output } = params;
  const text = { title: output.title, summary: output.summary, ...(output.text !== undefined ? { text: output.text } : {}) };
  const batches = chunks(output.annotations, ANNOTATIONS_PER_REQUEST);
  const [first = [], ...rest] = batches;
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: output.conclusion,
    output: { ...text, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  // One after the other: concurrent appends to one check run have no documented ordering.
  for (const annotations of rest) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { ...text, annotations } });
  }
}

/**
 * Chains of pending upserts by pull request: two deliveries for one PR (a push and a review at
 * once) run one after the other in this process, so the second sees the comment the first
 * created. Several app processes do not share it (see upsertComment).
 */
const upserts = new Map<string, Promise<void>>();

/** What a comment upsert writes: the report, undefined when there is nothing to say, or null to leave the comment as it is (the evaluation failed). */
export type CommentBody = string | undefined | null;

/**
 * Keeps meshgate's one comment on a pull request current: found by COMMENT_MARKER at the start
 * of a comment by a bot account, updated in place (not when unchanged), created only when
 * there is something to say. When there is nothing to say any more and the comment exists, it
 * is kept and says so, rather than deleted. A duplicate left by a past race between processes
 * is deleted. `body` may still be on its way: the comments are listed meanwhile, so only the
 * write is left once it is known.
 */
export async function upsertComment(params: { octokit: GitHubClient; repo: RepoRef; issueNumber: number; body: CommentBody | PromiseLike<CommentBody> }): Promise<void> {
  const key = `${params.repo.owner}/${params.repo.repo}#${params.issueNumber}`.toLowerCase();
  const previous = upserts.get(key) ?? Promise.resolve();
  // A failed upsert must not stop the next one: each waits for the last to settle, whatever its outcome.
  const current = previous.catch(() => undefined).then(() => writeComment(params));
  upserts.set(key, current);
  try {
    await current;
  } finally {
    if (upserts.get(key) === current) upserts.delete(key);
  }
}

async function writeComment(params: { octokit: GitHubClient; repo: RepoRef; issueNumber: number; body: CommentBody | PromiseLike<CommentBody> }): Promise<void> {
  const { octokit, repo, issueNumber } = params;
  const [comments, body] = await Promise.all([octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 }), params.body]);
  if (body === null) return;
  // The app's own login needs an app-authenticated call to learn; a bot author plus the marker at
  // the very start (a quote of it would start with ">") tells ours apart without it.
  const ours = comments.filter((c) => c.user?.type === "Bot" && c.body?.startsWith(COMMENT_MARKER) === true);
  const [existing, ...duplicates] = ours;
  for (const duplicate of duplicates) await deleteComment(octokit, repo, duplicate.id);
  if (!existing) {
    if (body !== undefined) await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return;
  }
  const text = body ?? NO_MESH_CHANGES_COMMENT;
  if (existing.body !== text) await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: text });
}

async function deleteComment(octokit: GitHubClient, repo: RepoRef, commentId: number): Promise<void> {
  try {
    await octokit.rest.issues.deleteComment({ ...repo, comment_id: commentId });
  } catch (error) {
    // Another process may have cleaned it up first.
    if (!(typeof error === "object" && error !== null && "status" in error && error.status === 404)) throw error;
  }
}

function chunks(annotations: readonly CheckAnnotation[], size: number): CheckAnnotation[][] {
  const result: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) result.push(annotations.slice(i, i + size));
  return result;
}
