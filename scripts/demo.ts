// `npm run demo`: meshgate at work on a pull request, without a GitHub account or a network.
// The project's example becomes a temporary git repository (main = examples/shop, pr =
// examples/shop-pr) served by the GitHub stand-in; the real app server runs the `npm start` way
// with a generated key and webhook secret; signed webhooks play the pull request's story, and
// the demo prints what a reviewer would see on GitHub.
import { performance } from "node:perf_hooks";
import { COMMENT_MARKER } from "../src/report/comment.js";
import { AppHarness, ensureBuilt, type Delivered } from "../tools/app-harness.js";
import {
  createShopRepository,
  issueCommentCreated,
  pullRequestOpened,
  pullRequestReviewSubmitted,
  pullRequestSynchronize,
  startGitHubStandIn,
  type GitHubStandIn,
  type ScratchRepository,
  type StoredCheckRun,
  type StoredComment,
} from "../tools/github-stand-in/index.js";
import { pushShopFix, setUpShopPeople, SHOP_PEOPLE } from "../tools/shop-scenario.js";

const PULL = 7;
const TITLE = "Canary the storefront at 50%, let checkout read the catalog";
/** Lines of the /render reply shown; the rest is counted. */
const RENDER_LINES = 18;

const started = performance.now();
// `npm run demo | head`: a closed pipe ends the printing, not the clean-up of servers and files.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});
const print = (text = ""): void => {
  console.log(text);
};
const indent = (text: string, prefix = "    "): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? "" : `${prefix}${line}`))
    .join("\n");
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const short = (sha: string): string => sha.slice(0, 7);

function heading(text: string): void {
  print();
  print(`━━ ${text} ${"━".repeat(Math.max(3, 88 - text.length))}`);
  print();
}

/**
 * Markdown as a reviewer reads it on GitHub, for a terminal: the hidden marker dropped,
 * <code> as backticks, and each <details> block shown by its summary (collapsed, as GitHub
 * first shows it) or with its content (expanded).
 */
function rendered(markdown: string, details: "collapsed" | "expanded"): string {
  const text = markdown
    .replace(/<!--[^]*?-->\n?/g, "")
    .replace(/<code>([^<]*)<\/code>/g, "`$1`")
    .replace(/<details><summary>([^]*?)<\/summary>([^]*?)<\/details>/g, (_, summary: string, body: string) =>
      details === "collapsed" ? `▸ ${summary}` : `▾ ${summary}\n${indent(body.trim(), "  ")}`,
    );
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

function annotationLines(run: StoredCheckRun): string {
  if (run.annotations.length === 0) return "    (none)";
  return run.annotations.map((a) => `    ${a.path}:${a.start_line} ${a.annotation_level} ${a.title ?? ""}`.trimEnd()).join("\n");
}

function approvalLines(run: StoredCheckRun): string {
  return (run.output.summary ?? "")
    .split("\n")
    .filter((line) => /^- (✅|⏳|⛔|❌)/.test(line))
    .map((line) => `    ${line.slice(2)}`)
    .join("\n");
}

function printCheck(run: StoredCheckRun, delivered: Delivered): void {
  print(`  Webhook answered ${delivered.status} in ${seconds(delivered.answeredAt - delivered.sentAt)}; check run "${run.name}" on ${short(run.headSha)}: ${run.status}, ${run.conclusion ?? "no conclusion"}`);
  print(`  Title: ${run.output.title ?? ""}`);
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`the demo expected ${what}`);
}

function ourComments(standIn: GitHubStandIn): StoredComment[] {
  return standIn.comments.filter((c) => c.user === standIn.botLogin && c.body.startsWith(COMMENT_MARKER));
}

async function demo(params: { standIn: GitHubStandIn; app: AppHarness; repository: ScratchRepository }): Promise<void> {
  const { standIn, app, repository } = params;
  const { author, codeOwner, security, reader } = SHOP_PEOPLE;
  const head = async (): Promise<string> => (await standIn.git.resolveCommit("pr")) ?? "";

  heading("1. alex opens a pull request that changes the shop's mesh");
  print(`  examples/shop (main) ← examples/shop-pr (pr): a 50/50 canary for the storefront, checkout allowed to`);
  print(`  read the catalog, and checkout's mTLS relaxed to PERMISSIVE "during a migration".`);
  print();
  let delivered = await app.deliver("pull_request.opened", await pullRequestOpened(standIn, PULL));
  let run = await app.waitForCheck({ sha: await head() });
  printCheck(run, delivered);
  expect(run.conclusion === "failure", "the opened pull request to fail the gate");
  print();
  print("  Summary (the <details> collapsed, as GitHub first shows them):");
  print();
  print(indent(rendered(run.output.summary ?? "", "collapsed")));
  print();
  print(`  Annotations (${run.annotations.length}), on the lines of the OAM files:`);
  print(annotationLines(run));

  heading("2. The pull request comment");
  // The comment is written after the check completes: wait for it rather than read too early.
  const comment = await app.waitForComment("the meshgate comment", (c) => ourComments(standIn).includes(c)).catch(() => undefined);
  expect(comment !== undefined, "a meshgate comment on the pull request");
  if (!comment) return;
  const sameAsSummary = rendered(comment.body, "collapsed") === rendered(run.output.summary ?? "", "collapsed");
  print(`  Comment #${comment.id} by ${comment.user}${sameAsSummary ? ": the same report as the check's summary, for the conversation; its per-resource diffs, expanded:" : ":"}`);
  print();
  const body = sameAsSummary ? [...comment.body.matchAll(/<details>[^]*?<\/details>/g)].map((m) => m[0]).join("\n\n") : comment.body;
  print(indent(rendered(body, "expanded")));

  heading(`3. ${reader} asks for the render: "/render checkout"`);
  const command = standIn.addComment({ issue: PULL, user: reader, body: "/render checkout" });
  delivered = await app.deliver("issue_comment.created", await issueCommentCreated(standIn, command));
  const reply = await app.waitForComment("a reply to /render", (c) => c.user === standIn.botLogin && c.id > command.id && c.body.includes("Rendered"));
  print(`  Webhook answered ${delivered.status} in ${seconds(delivered.answeredAt - delivered.sentAt)}; reaction on the command: ${command.reactions.map((r) => `:${r.content}:`).join(" ") || "none"}; reply #${reply.id}:`);
  print();
  const replyLines = rendered(reply.body, "expanded").split("\n");
  print(indent(replyLines.slice(0, RENDER_LINES).join("\n")));
  if (replyLines.length > RENDER_LINES) print(`      … ${replyLines.length - RENDER_LINES} more lines`);

  heading(`4. ${author} pushes a fix: checkout's mTLS back to STRICT`);
  const before = await head();
  const fixed = await pushShopFix({ repository, branch: "pr" });
  delivered = await app.deliver("pull_request.synchronize", await pullRequestSynchronize(standIn, PULL, before));
  run = await app.waitForCheck({ sha: fixed });
  printCheck(run, delivered);
  expect(run.output.title?.includes("blocking") === false, "the fix to clear the blocking finding");
  print("  What still holds the gate:");
  print(approvalLines(run));
  await app.waitForComment("the comment updated in place", (c) => c.id === comment.id && c.edits.length > 0).catch(() => undefined);
  const comments = ourComments(standIn);
  expect(comments.length === 1 && comments[0]?.id === comment.id && comment.edits.length > 0, "the same comment to be updated in place");
  print();
  print(`  Comment #${comment.id} updated in place (${comments.length} meshgate comment on the pull request, ${comment.edits.length} earlier version):`);
  print(`    before: ${comment.edits[0]?.split("\n")[1] ?? ""}`);
  print(`    now:    ${comment.body.split("\n")[1] ?? ""}`);

  heading(`5. A code owner (${codeOwner}) and the security team (${security}) approve`);
  print(`  ${codeOwner}: write access, member of @acme/catalog, @acme/payments and @acme/storefront (the owners of the changed files)`);
  print(`  ${security}: write access, member of @acme/security (the config's security team)`);
  for (const reviewer of [codeOwner, security]) {
    const review = await standIn.addReview({ pull: PULL, user: reviewer, state: "APPROVED" });
    delivered = await app.deliver("pull_request_review.submitted", await pullRequestReviewSubmitted(standIn, review));
    run = await app.waitForCheck({ sha: fixed, after: run.id });
    print();
    print(`  ${reviewer} approves →`);
    printCheck(run, delivered);
  }
  expect(run.conclusion === "success", "the gate to pass once both approved");
  print();
  print("  Summary:");
  print();
  print(indent(rendered(run.output.summary ?? "", "collapsed")));

  heading("Done");
  const errors = app.logs.split("\n").filter((line) => /"level":(50|60)/.test(line)).length;
  print(`  ${seconds(performance.now() - started)}: 5 signed webhooks, ${standIn.calls.length} API calls to the stand-in, ${standIn.checkRuns.length} check runs, ${errors} errors in the app's log.`);
}

async function main(): Promise<void> {
  print("meshgate demo: a pull request on a local GitHub stand-in (no network, no GitHub account)");
  print();
  const built = await ensureBuilt({
    onBuild: () => {
      print("  dist/ is missing or older than src/: npm run build …");
    },
  });
  if (built) print("  built.");
  const repository = await createShopRepository();
  let standIn: GitHubStandIn | undefined;
  let app: AppHarness | undefined;
  try {
    standIn = await startGitHubStandIn({ repository: repository.dir });
    standIn.addPullRequest({ number: PULL, base: "main", head: "pr", author: SHOP_PEOPLE.author, title: TITLE });
    setUpShopPeople(standIn);
    app = await AppHarness.start({ standIn });
    print(`  GitHub:   the stand-in at ${standIn.url}, serving acme/shop from a temporary git repository`);
    print(`  meshgate: node dist/github/server.js at ${app.url} (app ${standIn.appId}, a generated key and webhook secret)`);
    print(`  PR #${PULL}:   "${TITLE}" by ${SHOP_PEOPLE.author}, pr → main`);
    await demo({ standIn, app, repository });
  } catch (error) {
    process.exitCode = 1;
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (app?.logs) console.error(`\nthe app's log:\n${app.logs}`);
    for (const failure of standIn?.errors ?? []) console.error(`the stand-in failed: ${failure.stack ?? failure.message}`);
  } finally {
    await app?.stop();
    await standIn?.close();
    await repository.remove();
  }
}

await main();
