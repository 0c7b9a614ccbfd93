import type { Delivery } from "../delivery.js";
import { parseCommand } from "../commands.js";
import type { Job } from "../jobs.js";

/** A new comment: a command addressed to meshgate becomes a job of the command lane. */
export function issueCommentJobs(context: Delivery<"issue_comment.created">): Job[] {
  const { comment, issue, sender, installation } = context.payload;
  // Bots (meshgate's own replies among them) never command it; a plain issue has nothing to gate.
  if (sender.type === "Bot" || !issue.pull_request) return [];
  if (!parseCommand(comment.body)) return [];
  return [{ kind: "command", installationId: installation?.id ?? 0, repo: context.repo(), deliveries: [context.id], number: issue.number, commentId: comment.id, user: sender.login, body: comment.body }];
}
