import type { Context } from "probot";
import { commandReply } from "../../report/command-reply.js";
import { answerCommand } from "../answer-command.js";
import { parseCommand } from "../commands.js";
import type { AppState } from "../evaluate-target.js";

/** A new comment: a command addressed to meshgate is acknowledged with a reaction and answered in a reply. */
export async function onIssueComment(context: Context<"issue_comment.created">, state: AppState): Promise<void> {
  const { comment, issue, sender } = context.payload;
  // Bots (meshgate's own replies among them) never command it; a plain issue has nothing to gate.
  if (sender.type === "Bot" || !issue.pull_request) return;
  const command = parseCommand(comment.body);
  if (!command) return;
  const repo = context.repo();
  const { octokit } = context;
  const [, answer] = await Promise.all([
    octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: "eyes" }),
    answerCommand({ context, state, repo, number: issue.number, user: sender.login, command }),
  ]);
  await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: commandReply(answer) });
}
