import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScratchRepository, startGitHubStandIn, type GitHubStandIn } from "../../tools/github-stand-in/index.js";
import { octokitFor, shapeProblems, shopFixture, type TestOctokit } from "./support.js";

const shop = shopFixture();
const repo = { owner: "acme", repo: "shop" };

async function sha(rev: string): Promise<string> {
  const found = await shop.repository.git.resolveCommit(rev);
  if (!found) throw new Error(`no ${rev}`);
  return found;
}

describe("compare", () => {
  it("gives the merge base, status, counts, commits and files of base...head, in GitHub's shape", async () => {
    const { data } = await shop.octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...pr" });
    expect(shapeProblems("GET /repos/{owner}/{repo}/compare/{basehead}", 200, data)).toEqual([]);
    expect(data.merge_base_commit.sha).toBe(await sha("main"));
    expect(data.base_commit.sha).toBe(await sha("main"));
    expect({ status: data.status, ahead: data.ahead_by, behind: data.behind_by, total: data.total_commits }).toEqual({ status: "ahead", ahead: 1, behind: 0, total: 1 });
    expect(data.commits.map((c) => c.sha)).toEqual([await sha("pr")]);
    expect(data.commits[0]?.author?.login).toBe("alex");
    expect(data.files?.map((f) => [f.status, f.filename])).toEqual([
      ["modified", "apps/catalog.yaml"],
      ["modified", "apps/checkout.yaml"],
      ["modified", "apps/storefront.yaml"],
    ]);
    expect(data.files?.every((f) => f.changes === f.additions + f.deletions && f.changes > 0)).toBe(true);
  });

  it("reads behind, identical and diverged, and 404s unknown refs", async () => {
    const behind = await shop.octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "pr...main" });
    expect([behind.data.status, behind.data.ahead_by, behind.data.behind_by]).toEqual(["behind", 0, 1]);
    const same = await shop.octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `main...${await sha("main")}` });
    expect([same.data.status, same.data.files]).toEqual(["identical", []]);
    await expect(shop.octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...nope" })).rejects.toMatchObject({ status: 404 });
    await expect(shop.octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main..pr" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("caps on a large change", () => {
  let big: ScratchRepository;
  let standIn: GitHubStandIn;
  let octokit: TestOctokit;

  beforeAll(async () => {
    big = await ScratchRepository.create();
    await big.commit({ branch: "main", files: { "README.md": "big\n" } });
    // 260 commits on "long", one changing 301 files on "wide": one fast-import each.
    await big.commits(Array.from({ length: 260 }, (_, i) => ({ branch: "long", from: "main", files: { [`notes/${i}.txt`]: `${i}\n` } })));
    await big.commit({ branch: "wide", from: "main", files: Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`apps/app-${String(i).padStart(3, "0")}.yaml`, `n: ${i}\n`])) });
    standIn = await startGitHubStandIn({ repository: big.dir });
    standIn.addPullRequest({ number: 1, base: "main", head: "long", author: "alex" });
    octokit = octokitFor(standIn);
  });
  afterAll(async () => {
    await standIn.close();
    await big.remove();
  });

  it("lists 300 files of a compare, as GitHub does, and the whole tree", async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...wide" });
    expect(data.files).toHaveLength(300);
    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: "wide", recursive: "1" });
    expect(tree.data.tree.filter((e) => e.type === "blob")).toHaveLength(302);
  });

  it("lists the first 250 commits of a compare and counts them all", async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...long" });
    expect([data.ahead_by, data.total_commits, data.commits.length]).toEqual([260, 260, 250]);
    expect(data.commits[0]?.commit.message).toBe("Update long");
  });

  it("paginates a compare's commits when asked, with the files on the first page only", async () => {
    const third = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...long", per_page: 100, page: 3 });
    expect([third.data.commits.length, third.data.files]).toEqual([60, undefined]);
    expect(third.headers.link).toMatch(/rel="prev"/);
    const first = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...long", per_page: 100 });
    expect([first.data.commits.length, first.data.files?.length]).toEqual([100, 260]);
  });

  it("paginates a pull request's commits with Link headers up to GitHub's 250", async () => {
    const first = await octokit.rest.pulls.listCommits({ ...repo, pull_number: 1, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toMatch(/[?&]page=2>; rel="next", <[^>]*[?&]page=3>; rel="last"/);
    const third = await octokit.rest.pulls.listCommits({ ...repo, pull_number: 1, per_page: 100, page: 3 });
    expect(third.data).toHaveLength(50);
    expect(third.headers.link).toMatch(/rel="prev".*rel="first"/);
    expect(third.headers.link).not.toMatch(/rel="next"/);
    const all = await octokit.paginate(octokit.rest.pulls.listCommits, { ...repo, pull_number: 1, per_page: 100 });
    expect(all).toHaveLength(250);
    const pr = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(pr.data.commits).toBe(260);
    expect(standIn.calls.filter((c) => c.route === "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits")).toHaveLength(5);
  });
});

describe("trees", () => {
  it("lists a recursive tree with directories before their files, sizes for blobs", async () => {
    const { data } = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: await sha("pr"), recursive: "1" });
    expect(shapeProblems("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", 200, data)).toEqual([]);
    expect(data.truncated).toBe(false);
    expect(data.sha).toBe(await shop.repository.git.resolveTree("pr"));
    expect(data.tree.map((e) => `${e.mode} ${e.type} ${e.path}`)).toEqual([
      "040000 tree .github",
      "100644 blob .github/CODEOWNERS",
      "100644 blob .github/meshgate.yml",
      "040000 tree apps",
      "100644 blob apps/catalog.yaml",
      "100644 blob apps/checkout.yaml",
      "100644 blob apps/storefront.yaml",
      "040000 tree mesh",
      "100644 blob mesh/mesh-defaults.yaml",
    ]);
    expect(data.tree.every((e) => (e.type === "blob") === (typeof e.size === "number"))).toBe(true);
  });

  it("lists one level without `recursive`, and recurses for any value of it, as GitHub does", async () => {
    const top = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    expect(top.data.tree.map((e) => e.path)).toEqual([".github", "apps", "mesh"]);
    const zero = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "0" });
    expect(zero.data.tree).toHaveLength(9);
  });

  it("truncates at the configured limit so that a client's fail-closed path can be tested", async () => {
    shop.standIn.limits.treeEntries = 4;
    const { data } = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "1" });
    expect([data.truncated, data.tree.length]).toEqual([true, 4]);
  });

  it("404s an unknown tree", async () => {
    await expect(shop.octokit.rest.git.getTree({ ...repo, tree_sha: "0".repeat(40) })).rejects.toMatchObject({ status: 404 });
  });
});

describe("blobs and contents", () => {
  it("serves a blob in base64 wrapped at 60 characters, and raw on request", async () => {
    const tree = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "1" });
    const entry = tree.data.tree.find((e) => e.path === "apps/catalog.yaml");
    const { data } = await shop.octokit.rest.git.getBlob({ ...repo, file_sha: entry?.sha ?? "" });
    expect(shapeProblems("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", 200, data)).toEqual([]);
    expect(data.encoding).toBe("base64");
    expect(data.content.split("\n").slice(0, -2).every((line) => line.length === 60)).toBe(true);
    const text = Buffer.from(data.content, "base64").toString("utf8");
    expect(text).toContain("kind: Application");
    expect(data.size).toBe(Buffer.byteLength(text));
    const raw = await shop.octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: entry?.sha ?? "", mediaType: { format: "raw" } });
    expect(raw.data).toBe(text);
    await expect(shop.octokit.rest.git.getBlob({ ...repo, file_sha: "f".repeat(40) })).rejects.toMatchObject({ status: 404 });
  });

  it("serves a file's contents at a ref, a directory listing, and 404 for a missing path", async () => {
    const { data } = await shop.octokit.rest.repos.getContent({ ...repo, path: ".github/meshgate.yml", ref: "main" });
    expect(shapeProblems("GET /repos/{owner}/{repo}/contents/{path}", 200, data)).toEqual([]);
    if (Array.isArray(data) || data.type !== "file") throw new Error("expected a file");
    expect(Buffer.from(data.content, "base64").toString("utf8")).toMatch(/\S/);
    const dir = await shop.octokit.rest.repos.getContent({ ...repo, path: "apps", ref: "pr" });
    expect(Array.isArray(dir.data) && dir.data.map((e) => `${e.type} ${e.path}`)).toEqual(["file apps/catalog.yaml", "file apps/checkout.yaml", "file apps/storefront.yaml"]);
    await expect(shop.octokit.rest.repos.getContent({ ...repo, path: "nope.yml", ref: "main" })).rejects.toMatchObject({ status: 404 });
  });

  it("answers Probot's config plugin (contents in raw format) from the default branch", async () => {
    const { config, files } = await shop.octokit.config.get({ ...repo, path: ".github/meshgate.yml" });
    expect(files[0]?.config).not.toBeNull();
    expect(config).toBeTypeOf("object");
    expect(shop.standIn.calls.at(-1)?.query).toBe("");
  });
});

describe("pull requests", () => {
  it("gives the pull request with its branches' current shas, in GitHub's shape", async () => {
    const { data } = await shop.octokit.rest.pulls.get({ ...repo, pull_number: shop.pull });
    expect(shapeProblems("GET /repos/{owner}/{repo}/pulls/{pull_number}", 200, data)).toEqual([]);
    expect([data.head.sha, data.base.sha, data.head.ref, data.base.ref, data.user.login]).toEqual([await sha("pr"), await sha("main"), "pr", "main", "alex"]);
    expect([data.commits, data.changed_files, data.state, data.draft]).toEqual([1, 3, "open", false]);
    await expect(shop.octokit.rest.pulls.get({ ...repo, pull_number: 99 })).rejects.toMatchObject({ status: 404 });
  });

  it("follows the head branch: a new commit is the new head", async () => {
    const extra = await ScratchRepository.create();
    try {
      await extra.commit({ branch: "main", files: { "a.txt": "a\n" } });
      await extra.commit({ branch: "feature", from: "main", files: { "a.txt": "b\n" } });
      const standIn = await startGitHubStandIn({ repository: extra.dir });
      try {
        standIn.addPullRequest({ number: 3, base: "main", head: "feature", author: "alex" });
        const octokit = octokitFor(standIn);
        const pushed = await extra.commit({ branch: "feature", files: { "b.txt": "b\n" }, author: { name: "Dev", email: "dev@example.com" } });
        const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: 3 });
        expect([data.head.sha, data.commits, data.changed_files]).toEqual([pushed, 2, 2]);
        // A commit email GitHub does not know gives author null; one mapped to a user gives that user.
        const authors = async () => (await octokit.rest.pulls.listCommits({ ...repo, pull_number: 3 })).data.map((c) => c.author?.login ?? null);
        expect(await authors()).toEqual(["demo", null]);
        standIn.setEmailLogin("dev@example.com", "dev");
        expect(await authors()).toEqual(["demo", "dev"]);
      } finally {
        await standIn.close();
      }
    } finally {
      await extra.remove();
    }
  });

  it("gives a fork's pull request its head repository, and leaves it out of check runs as GitHub does", async () => {
    shop.standIn.addPullRequest({ number: 8, base: "main", head: "pr", author: "outsider", headRepository: { owner: "outsider", name: "shop" } });
    const { data } = await shop.octokit.rest.pulls.get({ ...repo, pull_number: 8 });
    expect(shapeProblems("GET /repos/{owner}/{repo}/pulls/{pull_number}", 200, data)).toEqual([]);
    expect([data.head.label, data.head.repo.full_name, data.head.repo.fork, data.base.repo.full_name]).toEqual(["outsider:pr", "outsider/shop", true, "acme/shop"]);
    const run = await shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: data.head.sha });
    expect(run.data.pull_requests.map((p) => p.number)).toEqual([shop.pull]);
    await expect(shop.octokit.rest.git.getTree({ owner: "outsider", repo: "shop", tree_sha: data.head.sha })).rejects.toMatchObject({ status: 404 });
  });

  it("lists reviews in order, 30 a page by default", async () => {
    for (let i = 0; i < 34; i++) await shop.standIn.addReview({ pull: shop.pull, user: `reviewer-${i}`, state: "COMMENTED" });
    const approval = await shop.standIn.addReview({ pull: shop.pull, user: "sam", state: "APPROVED", body: "LGTM" });
    const first = await shop.octokit.rest.pulls.listReviews({ ...repo, pull_number: shop.pull });
    expect(first.data).toHaveLength(30);
    expect(shapeProblems("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", 200, first.data)).toEqual([]);
    const all = await shop.octokit.paginate(shop.octokit.rest.pulls.listReviews, { ...repo, pull_number: shop.pull });
    expect(all).toHaveLength(35);
    expect(all.at(-1)).toMatchObject({ id: approval.id, state: "APPROVED", user: { login: "sam" }, commit_id: await sha("pr"), body: "LGTM" });
    shop.standIn.dismissReview(approval.id);
    const after = await shop.octokit.paginate(shop.octokit.rest.pulls.listReviews, { ...repo, pull_number: shop.pull });
    expect(after.at(-1)?.state).toBe("DISMISSED");
  });

  it("lists the pull requests associated with a commit", async () => {
    shop.standIn.addPullRequest({ number: 9, base: "main", head: "main", author: "kim", state: "closed" });
    const { data } = await shop.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: await sha("pr"), per_page: 100 });
    expect(shapeProblems("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", 200, data)).toEqual([]);
    expect(data.map((pr) => [pr.number, pr.state, pr.head.sha])).toEqual([[shop.pull, "open", await sha("pr")]]);
    await expect(shop.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: "e".repeat(40) })).rejects.toMatchObject({ status: 422 });
  });

  it("lists a pull request's commits", async () => {
    const { data } = await shop.octokit.rest.pulls.listCommits({ ...repo, pull_number: shop.pull });
    expect(shapeProblems("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", 200, data)).toEqual([]);
    expect(data.map((c) => [c.sha, c.author?.login, c.commit.message])).toEqual([[await sha("pr"), "alex", "Change the shop's mesh"]]);
  });
});

describe("people", () => {
  it("reports collaborator permissions with GitHub's legacy names next to the role", async () => {
    shop.standIn.setPermission("sam", "write");
    shop.standIn.setPermission("mo", "maintain");
    shop.standIn.setPermission("tia", "triage");
    const permission = async (username: string) => (await shop.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data;
    const sam = await permission("sam");
    expect(shapeProblems("GET /repos/{owner}/{repo}/collaborators/{username}/permission", 200, sam)).toEqual([]);
    expect([sam.permission, sam.role_name, sam.user?.permissions?.push]).toEqual(["write", "write", true]);
    expect([(await permission("mo")).permission, (await permission("mo")).role_name]).toEqual(["write", "maintain"]);
    expect([(await permission("tia")).permission, (await permission("tia")).user?.permissions?.push]).toEqual(["read", false]);
    expect((await permission("stranger")).permission).toBe("none");
    expect((await permission("acme")).permission).toBe("admin");
  });

  it("lists team members and memberships; 404 for an unknown team", async () => {
    shop.standIn.setTeam("acme/security", ["sam", "kim"]);
    const { data } = await shop.octokit.rest.teams.listMembersInOrg({ org: "acme", team_slug: "security" });
    expect(shapeProblems("GET /orgs/{org}/teams/{team_slug}/members", 200, data)).toEqual([]);
    expect(data.map((u) => u.login)).toEqual(["sam", "kim"]);
    expect((await shop.octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "security", username: "kim" })).data.state).toBe("active");
    await expect(shop.octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "security", username: "alex" })).rejects.toMatchObject({ status: 404 });
    await expect(shop.octokit.rest.teams.listMembersInOrg({ org: "acme", team_slug: "nobody" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("check runs", () => {
  it("creates, updates with annotations in batches, lists and reads back a check run", async () => {
    const head = await sha("pr");
    const created = await shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: head, status: "in_progress" });
    expect(created.status).toBe(201);
    expect(shapeProblems("POST /repos/{owner}/{repo}/check-runs", 201, created.data)).toEqual([]);
    expect(created.data).toMatchObject({ name: "meshgate", head_sha: head, status: "in_progress", conclusion: null, app: { slug: "meshgate" } });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([shop.pull]);
    const annotation = { path: "apps/checkout.yaml", start_line: 3, end_line: 3, annotation_level: "failure" as const, message: "mTLS is off" };
    await shop.octokit.rest.checks.update({ ...repo, check_run_id: created.data.id, output: { title: "1 finding", summary: "…", annotations: [annotation] } });
    const done = await shop.octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: "failure",
      output: { title: "1 failure", summary: "One rule failed.", annotations: [{ ...annotation, annotation_level: "warning" }] },
    });
    expect(shapeProblems("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", 200, done.data)).toEqual([]);
    expect(done.data).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "1 failure", annotations_count: 2 } });
    expect(done.data.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const [run] = shop.standIn.checkRuns;
    expect(run?.annotations.map((a) => a.annotation_level)).toEqual(["failure", "warning"]);
    expect(run?.requests).toHaveLength(3);

    const listed = await shop.octokit.rest.checks.listForRef({ ...repo, ref: "pr", check_name: "meshgate" });
    expect(shapeProblems("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", 200, listed.data)).toEqual([]);
    expect(listed.data.check_runs.map((r) => r.id)).toEqual([created.data.id]);
    const annotations = await shop.octokit.rest.checks.listAnnotations({ ...repo, check_run_id: created.data.id });
    expect(annotations.data.map((a) => [a.path, a.annotation_level])).toEqual([
      ["apps/checkout.yaml", "failure"],
      ["apps/checkout.yaml", "warning"],
    ]);
    expect((await shop.octokit.rest.checks.get({ ...repo, check_run_id: created.data.id })).data.conclusion).toBe("failure");
  });

  it("lists the latest run per name by default, all of them with filter=all", async () => {
    const head = await sha("pr");
    const first = await shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: head, conclusion: "success", output: { title: "ok", summary: "ok" } });
    const second = await shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: head, status: "queued" });
    expect(first.data.status).toBe("completed");
    expect((await shop.octokit.rest.checks.listForRef({ ...repo, ref: head })).data.check_runs.map((r) => r.id)).toEqual([second.data.id]);
    expect((await shop.octokit.rest.checks.listForRef({ ...repo, ref: head, filter: "all" })).data.total_count).toBe(2);
    expect((await shop.octokit.rest.checks.listForRef({ ...repo, ref: "main" })).data.total_count).toBe(0);
  });

  it("refuses like GitHub: an unknown sha, completed without a conclusion, an unknown run", async () => {
    await expect(shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: "1".repeat(40) })).rejects.toMatchObject({ status: 422, message: expect.stringContaining("No commit found for SHA") as unknown });
    await expect(shop.octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: await sha("pr"), status: "completed" })).rejects.toMatchObject({ status: 422 });
    await expect(shop.octokit.rest.checks.update({ ...repo, check_run_id: 1, status: "in_progress" })).rejects.toMatchObject({ status: 404 });
    expect(shop.standIn.checkRuns).toHaveLength(0);
  });
});

describe("issue comments and reactions", () => {
  it("creates, lists, updates a comment and reacts to one, as the app's bot", async () => {
    const command = shop.standIn.addComment({ issue: shop.pull, user: "sam", body: "/render checkout" });
    const created = await shop.octokit.rest.issues.createComment({ ...repo, issue_number: shop.pull, body: "<!-- meshgate -->\nfirst" });
    expect(shapeProblems("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", 201, created.data)).toEqual([]);
    expect([created.data.user?.login, created.data.user?.type, created.data.performed_via_github_app?.slug]).toEqual(["meshgate[bot]", "Bot", "meshgate"]);
    const updated = await shop.octokit.rest.issues.updateComment({ ...repo, comment_id: created.data.id, body: "<!-- meshgate -->\nsecond" });
    expect(shapeProblems("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", 200, updated.data)).toEqual([]);
    const listed = await shop.octokit.paginate(shop.octokit.rest.issues.listComments, { ...repo, issue_number: shop.pull });
    expect(shapeProblems("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", 200, listed)).toEqual([]);
    expect(listed.map((c) => [c.user?.login, c.body])).toEqual([
      ["sam", "/render checkout"],
      ["meshgate[bot]", "<!-- meshgate -->\nsecond"],
    ]);
    const reaction = await shop.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: command.id, content: "eyes" });
    expect(shapeProblems("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", 201, reaction.data)).toEqual([]);
    const again = await shop.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: command.id, content: "eyes" });
    expect([reaction.status, again.status, again.data.id]).toEqual([201, 200, reaction.data.id]);
    expect(shop.standIn.comments.map((c) => ({ user: c.user, edits: c.edits.length, reactions: c.reactions.map((r) => r.content) }))).toEqual([
      { user: "sam", edits: 0, reactions: ["eyes"] },
      { user: "meshgate[bot]", edits: 1, reactions: [] },
    ]);
  });

  it("deletes a comment (204, no body; 404 the second time)", async () => {
    const created = await shop.octokit.rest.issues.createComment({ ...repo, issue_number: shop.pull, body: "duplicate" });
    const deleted = await shop.octokit.rest.issues.deleteComment({ ...repo, comment_id: created.data.id });
    expect([deleted.status, deleted.data]).toEqual([204, ""]);
    expect(shop.standIn.comments).toHaveLength(0);
    await expect(shop.octokit.rest.issues.deleteComment({ ...repo, comment_id: created.data.id })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a body over 65,536 characters with GitHub's Validation Failed, and 404s unknown issues", async () => {
    const error: unknown = await shop.octokit.rest.issues.createComment({ ...repo, issue_number: shop.pull, body: "x".repeat(65_537) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, response: { data: { message: "Validation Failed", errors: [{ field: "body", code: "custom" }] } } });
    expect((await shop.octokit.rest.issues.createComment({ ...repo, issue_number: shop.pull, body: "x".repeat(65_536) })).status).toBe(201);
    await expect(shop.octokit.rest.issues.createComment({ ...repo, issue_number: 99, body: "hi" })).rejects.toMatchObject({ status: 404 });
    await expect(shop.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: 5, content: "eyes" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("authentication", () => {
  it("exchanges any app JWT for an installation token, which the other routes then need", async () => {
    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const octokit = new ProbotOctokit({
      auth: { appId: 1, privateKey, installationId: shop.standIn.installationId },
      baseUrl: shop.standIn.url,
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: shop.pull });
    expect(data.number).toBe(shop.pull);
    const [exchange, call] = shop.standIn.calls;
    expect([exchange?.route, exchange?.status]).toEqual(["POST /app/installations/{installation_id}/access_tokens", 201]);
    expect(call?.status).toBe(200);
  });

  it("answers 401 without a token or with one it did not issue, and 404 for another installation", async () => {
    const bare = (authorization?: string) =>
      fetch(`${shop.standIn.url}/repos/acme/shop/pulls/${shop.pull}`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(5000) });
    const anonymous = await bare();
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { message: "Requires authentication", documentation_url: "https://docs.github.com/rest", status: "401" }]);
    const forged = await bare("token ghs_forged");
    expect([forged.status, ((await forged.json()) as { message: string }).message]).toEqual([401, "Bad credentials"]);
    const jwt = await bare("bearer aaa.bbb.ccc");
    expect(jwt.status).toBe(401);
    const asApp = (method: string, path: string) =>
      fetch(`${shop.standIn.url}${path}`, { method, headers: { authorization: "bearer aaa.bbb.ccc" }, signal: AbortSignal.timeout(5000) });
    expect((await asApp("POST", "/app/installations/5/access_tokens")).status).toBe(404);
    const token = await asApp("POST", `/app/installations/${shop.standIn.installationId}/access_tokens`);
    const tokenBody = (await token.json()) as { token: string };
    expect(shapeProblems("POST /app/installations/{installation_id}/access_tokens", 201, tokenBody)).toEqual([]);
    expect([token.status, tokenBody.token]).toEqual([201, expect.stringMatching(/^ghs_\w{36}$/)]);
    const installation = await asApp("GET", "/repos/acme/shop/installation");
    expect(shapeProblems("GET /repos/{owner}/{repo}/installation", 200, await installation.json())).toEqual([]);
  });
});

describe("without authentication", () => {
  it("serves every route without a token when started with auth: none", async () => {
    const open = await startGitHubStandIn({ repository: shop.repository.dir, auth: "none" });
    try {
      open.addPullRequest({ number: 1, base: "main", head: "pr", author: "alex" });
      const response = await fetch(`${open.url}/repos/acme/shop/pulls/1`, { signal: AbortSignal.timeout(5000) });
      expect(response.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("what the stand-in does not serve", () => {
  it("answers 404 and records which GitHub operation was asked for", async () => {
    await expect(shop.octokit.rest.repos.listBranches(repo)).rejects.toMatchObject({ status: 404 });
    await expect(shop.octokit.rest.pulls.get({ owner: "acme", repo: "other", pull_number: shop.pull })).rejects.toMatchObject({ status: 404 });
    expect(shop.standIn.calls.map((c) => [c.route, c.unserved, c.status])).toEqual([
      [null, "GET /repos/{owner}/{repo}/branches", 404],
      ["GET /repos/{owner}/{repo}/pulls/{pull_number}", undefined, 404],
    ]);
  });
});
