import type { CommandAnswer } from "../report/command-reply.js";
import type { Command } from "./commands.js";
import { reasonOf, type AppState, type EventContext } from "./evaluate-target.js";
import { gatherInputs } from "./gather.js";
import { statusOf } from "./gather-teams.js";
import { fetchPullRequestTarget } from "./pull-request-target.js";
import type { EvaluationTarget, GitHubClient, RepoRef } from "./target.js";

/** Who may re-run the gate: the permissions GitHub gives write access with (maintain reads as write). */
const MAY_RECHECK: ReadonlySet<string> = new Set(["admin", "write"]);

interface CommandParams {
  context: EventContext;
  state: AppState;
  repo: RepoRef;
  /** The pull request's number. */
  number: number;
  /** Who wrote the command. */
  user: string;
  /** Queues the evaluation a /recheck asks for (it coalesces with the pull request's other events). */
  recheck: (target: EvaluationTarget) => Promise<void>;
}

/** What a command finds; a failure is an answer too (the reply says what went wrong). */
export async function answerCommand(params: CommandParams & { command: Command }): Promise<CommandAnswer> {
  const { command, context, state } = params;
  try {
    switch (command.name) {
      case "help":
        return { kind: "help", ...(command.unknown !== undefined ? { unknown: command.unknown } : {}) };
      case "explain":
        return { kind: "explain", rules: state.catalog.rules, ...(command.rule !== undefined ? { id: command.rule } : {}) };
      case "recheck":
        return await recheck(params);
      case "render":
      case "diff":
        return await renderOrDiff({ ...params, command });
    }
  } catch (error) {
    context.log.error({ err: error }, `meshgate could not answer /${command.name}`);
    return { kind: "failed", command: command.name, reason: reasonOf(error, context.id) };
  }
}

async function recheck(params: CommandParams): Promise<CommandAnswer> {
  const { context, repo, user, number } = params;
  const { octokit } = context;
  const permission = await permissionOf({ octokit, repo, user });
  if (!MAY_RECHECK.has(permission)) return { kind: "refused", command: "recheck", user, permission };
  const target = await fetchPullRequestTarget({ octokit, repo, number });
  await params.recheck(target);
  return { kind: "recheck", headSha: target.headSha };
}

/** The head's render (and the base's, for a diff), with the base tip's config; no reviews needed. */
async function renderOrDiff(params: CommandParams & { command: Extract<Command, { name: "render" | "diff" }> }): Promise<CommandAnswer> {
  const { context, state, repo, number, command } = params;
  const { octokit } = context;
  const { headSha, baseSha } = await fetchPullRequestTarget({ octokit, repo, number });
  const inputs = await gatherInputs({ octokit, target: { repo, headSha, baseSha }, cache: state.cache, catalog: state.catalog, now: new Date().toISOString() });
  const rendered = await state.judge.render({ inputs, diff: command.name === "diff" });
  if ("changes" in rendered) return { kind: "diff", headSha, changes: rendered.changes };
  const app = command.name === "render" ? command.app : undefined;
  return { kind: "render", headSha, ...(app !== undefined ? { app } : {}), ...rendered };
}

/** The user's permission on the repository; someone GitHub does not know as a collaborator has none. */
async function permissionOf(params: { octokit: GitHubClient; repo: RepoRef; user: string }): Promise<string> {
  const { octokit, repo, user } = params;
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: user });
    return data.permission;
  } catch (error) {
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}
