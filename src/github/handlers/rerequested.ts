import type { Delivery } from "../delivery.js";
import type { Job } from "../jobs.js";
import { CHECK_RUN_NAME } from "../publish.js";

/** "Re-run" on the meshgate check, or "Re-run all checks" on meshgate's suite: every open pull request of that commit is evaluated again. */
export async function rerequestedJobs(context: Delivery<"check_run.rerequested" | "check_suite.rerequested">): Promise<Job[]> {
  const { payload } = context;
  const rerun = "check_run" in payload ? payload.check_run : payload.check_suite;
  // GitHub sends a re-run request to the app that made the check; a check of another app, or
  // another check of this one, is not meshgate's to answer.
  if ("check_run" in payload && payload.check_run.name !== CHECK_RUN_NAME) return [];
  if (rerun.app?.id !== (await context.appId())) return [];
  const { head_sha: headSha, pull_requests: listed } = rerun;
  const base = { installationId: payload.installation?.id ?? 0, repo: context.repo(), deliveries: [context.id] };
  // The payload lists pull requests from the same repository only: a fork's is found by its head commit, by the worker.
  if (listed.length === 0) return [{ kind: "rerun", ...base, headSha }];
  return listed.map((pr) => ({ kind: "pull-request", ...base, number: pr.number, heads: [headSha], superseded: [] }));
}
