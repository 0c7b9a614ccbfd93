import { describe, expect, it } from "vitest";
import { readCatalog } from "../../src/cli/read-catalog.js";
import { evaluate } from "../../src/core/evaluate.js";
import { BlobCache } from "../../src/github/blob-cache.js";
import { BLOB_BATCH_BYTES, BLOB_BATCH_SIZE, gatherBlobs } from "../../src/github/gather-blobs.js";
import { gatherInputs } from "../../src/github/gather.js";
import { CouldNotEvaluate, type EvaluationTarget } from "../../src/github/target.js";
import { example, FakeRepository, instrument, isBlobQuery, member, pullCommit, review, sha1, testClient } from "./gather-fake-github.js";

const catalog = readCatalog();
const NOW = "2026-11-28T12:00:00Z";

// The shop of examples/shop, as a repository on GitHub. Pull request #7 by @dora branched off
// main at MERGE_BASE; main has moved on since (BASE_TIP: a stricter config and a new CODEOWNERS
// line), and the PR changes the canary weight, moves the catalog into its own directory, edits
// a source file, and tries to relax .github/meshgate.yml.
const CONFIG_AT_MERGE_BASE = `manifests:
  exclude: ["charts/**"]
approvals:
  securityTeam: "@acme/security"
`;
const CONFIG_AT_BASE_TIP = `manifests:
  exclude: ["charts/**"]
rules:
  failOn: medium
approvals:
  securityTeam: "@acme/security"
`;
const CONFIG_AT_HEAD = `manifests:
  exclude: ["charts/**", "apps/**"]
rules:
  failOn: critical
approvals:
  securityTeam: "@acme/security"
`;
const CODEOWNERS_AT_MERGE_BASE = `*          @acme/platform
/apps/     @acme/shop
/.github/  @acme/security
`;
const CODEOWNERS_AT_BASE_TIP = `${CODEOWNERS_AT_MERGE_BASE}/apps/checkout.yaml  @acme/payments
`;
const STOREFRONT = example("apps/storefront.yaml");
const STOREFRONT_AT_HEAD = STOREFRONT.replace("weight: 90", "weight: 50").replace("weight: 10 ", "weight: 50 ");

function mergeBaseFiles(): Record<string, string | { text?: string; bytes?: Buffer; mode?: string }> {
  return {
    "README.md": "# shop\n",
    ".github/meshgate.yml": CONFIG_AT_MERGE_BASE,
    ".github/CODEOWNERS": CODEOWNERS_AT_MERGE_BASE,
    "apps/catalog.yaml": example("apps/catalog.yaml"),
    "apps/checkout.yaml": example("apps/checkout.yaml"),
    "apps/storefront.yaml": STOREFRONT,
    // A link to a manifest read at its own path: followed, and not read twice.
    "apps/current.yaml": { text: "storefront.yaml", mode: "120000" },
    "mesh/mesh-defaults.yaml": example("mesh/mesh-defaults.yaml"),
    // Excluded by the config (read only to tell its mesh documents, SCOPE-001), and vendored (never read).
    "charts/shop/values.yaml": "replicas: 3\n",
    "node_modules/istio-crds/crds.yaml": "kind: CustomResourceDefinition\n",
    "docs/logo.png": { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) },
    "src/server.ts": "export const port = 8080;\n",
  };
}

function shop(owner = "acme") {
  const repo = new FakeRepository(owner, "shop");
  const base = mergeBaseFiles();
  const mergeBase = repo.commit("merge base", base);
  const baseTip = repo.commit("main", { ...base, ".github/meshgate.yml": CONFIG_AT_BASE_TIP, ".github/CODEOWNERS": CODEOWNERS_AT_BASE_TIP, "docs/runbook.md": "# runbook\n" });
  const { "apps/catalog.yaml": catalogApp, ...kept } = base;
  const firstCommit = sha1("commit first");
  const head = repo.commit("head", {
    ...kept,
    "apps/catalog/app.yaml": catalogApp ?? "",
    "apps/storefront.yaml": STOREFRONT_AT_HEAD,
    ".github/meshgate.yml": CONFIG_AT_HEAD,
    "src/server.ts": "export const port = 8081;\n",
  });
  const target: EvaluationTarget = { repo: { owner, repo: "shop" }, headSha: head, baseSha: baseTip, pullRequest: { number: 7, author: "dora", commits: 3 } };
  return { repo, mergeBase, baseTip, head, firstCommit, target };
}

type Shop = ReturnType<typeof shop>;

/** Everything a cold or warm evaluation of PR #7 asks GitHub, once each. */
function mockPullRequest(s: Shop, options: { blobQueries: number }): void {
  const { repo, mergeBase, baseTip, head, firstCommit } = s;
  repo.mockCompare(baseTip, head, mergeBase);
  repo.mockPolicy();
  repo.mockTree(head);
  // Read at once on the wager that it is the merge base; lost here (main moved on), so the merge base's is read next.
  repo.mockTree(baseTip);
  repo.mockTree(mergeBase);
  repo.mockBlobQueries(options.blobQueries);
  repo.mockList(`${repo.path}/pulls/7/reviews`, [
    review("olaf", "APPROVED", firstCommit, "2026-11-27T10:00:00Z"),
    review("maria", "APPROVED", head, "2026-11-28T11:00:00Z"),
    review("sam", "CHANGES_REQUESTED", head, "2026-11-28T11:05:00Z"),
    review("carol", "COMMENTED", head, "2026-11-28T11:10:00Z"),
    review("dora", "COMMENTED", head, "2026-11-28T11:20:00Z"),
    review("sam", "APPROVED", head, "2026-11-28T11:30:00Z"),
    { ...(review("pat", "PENDING", head, "") as object), submitted_at: undefined },
  ]);
  repo.mockList(`${repo.path}/pulls/7/commits`, [
    pullCommit(firstCommit, 1, "dora", "dora"),
    pullCommit(sha1("commit update branch"), 2, "dora", "web-flow"),
    pullCommit(head, 1, "dora", "web-flow"),
  ]);
  repo.mockPermission("maria", { permission: "write", role_name: "write" });
  repo.mockPermission("olaf", { permission: "read", role_name: "triage" });
  repo.mockPermission("sam", { permission: "write", role_name: "security-reviewer" });
  repo.mockList("/orgs/acme/teams/platform/members", [member("pia")]);
  repo.mockList("/orgs/acme/teams/security/members", [member("sven"), member("sam")]);
  repo.mockList("/orgs/acme/teams/shop/members", [member("maria"), member("dora")]);
}

describe("gatherInputs for a pull request", () => {
  it("reads both sides, the base tip's policy and the people, in 14 calls and 3 sequential round trips; 13 and 3 with a warm cache", async () => {
    const s = shop();
    const octokit = testClient();
    const log = instrument(octokit);
    const cache = new BlobCache();
    mockPullRequest(s, { blobQueries: 1 });

    const inputs = await gatherInputs({ octokit, target: s.target, cache, catalog, now: NOW });
    s.repo.mock.done();

    // Manifests under the base tip's globs, by path (dot-directories included, as kubectl reads
    // them), and the excluded chart's YAML (for SCOPE-001); the link's target is read at its own
    // path only; node_modules is never read.
    expect(Object.fromEntries(inputs.base.files)).toEqual({
      ".github/meshgate.yml": CONFIG_AT_MERGE_BASE,
      "apps/catalog.yaml": example("apps/catalog.yaml"),
      "apps/checkout.yaml": example("apps/checkout.yaml"),
      "apps/storefront.yaml": STOREFRONT,
      "charts/shop/values.yaml": "replicas: 3\n",
      "mesh/mesh-defaults.yaml": example("mesh/mesh-defaults.yaml"),
    });
    expect(Object.fromEntries(inputs.head.files)).toEqual({
      ".github/meshgate.yml": CONFIG_AT_HEAD,
      "apps/catalog/app.yaml": example("apps/catalog.yaml"),
      "apps/checkout.yaml": example("apps/checkout.yaml"),
      "apps/storefront.yaml": STOREFRONT_AT_HEAD,
      "charts/shop/values.yaml": "replicas: 3\n",
      "mesh/mesh-defaults.yaml": example("mesh/mesh-defaults.yaml"),
    });
    expect(inputs.readDiagnostics).toEqual([{ file: "apps/current.yaml", line: 1, severity: "notice", message: "symbolic link to apps/storefront.yaml, which is read at its own path" }]);
    // Against the merge base, not the base tip: main's own edits (runbook, CODEOWNERS) are not the PR's.
    expect(inputs.changedFiles).toEqual([".github/meshgate.yml", "apps/catalog.yaml", "apps/catalog/app.yaml", "apps/storefront.yaml", "src/server.ts"]);
    // Policy from the base tip, never from the head or the merge base; the head's edit only to validate.
    expect(inputs.policy.config).toBe(CONFIG_AT_BASE_TIP);
    expect(Object.fromEntries(inputs.policy.files)).toEqual({ ".github/meshgate.yml": CONFIG_AT_BASE_TIP, ".github/CODEOWNERS": CODEOWNERS_AT_BASE_TIP });
    expect(inputs.headConfig).toBe(CONFIG_AT_HEAD);
    const policyQuery = s.repo.mock.requests.find((r) => r.path === "/graphql" && JSON.stringify(r.body).includes("object(expression:"));
    expect((policyQuery?.body as { variables: unknown }).variables).toEqual({
      owner: "acme",
      name: "shop",
      commit: s.baseTip,
      p0: `${s.baseTip}:.github/meshgate.yml`,
      p1: `${s.baseTip}:.github/CODEOWNERS`,
      p2: `${s.baseTip}:CODEOWNERS`,
      p3: `${s.baseTip}:docs/CODEOWNERS`,
    });
    expect(inputs.rulesOnly).toBeUndefined();
    expect(inputs.review).toEqual({
      author: "dora",
      headSha: s.head,
      reviews: [
        { reviewer: "olaf", state: "APPROVED", commitId: s.firstCommit, submittedAt: "2026-11-27T10:00:00Z" },
        { reviewer: "maria", state: "APPROVED", commitId: s.head, submittedAt: "2026-11-28T11:00:00Z" },
        { reviewer: "sam", state: "CHANGES_REQUESTED", commitId: s.head, submittedAt: "2026-11-28T11:05:00Z" },
        { reviewer: "carol", state: "COMMENTED", commitId: s.head, submittedAt: "2026-11-28T11:10:00Z" },
        { reviewer: "dora", state: "COMMENTED", commitId: s.head, submittedAt: "2026-11-28T11:20:00Z" },
        { reviewer: "sam", state: "APPROVED", commitId: s.head, submittedAt: "2026-11-28T11:30:00Z" },
      ],
      commits: [
        { sha: s.firstCommit, parents: 1, author: "dora", committer: "dora" },
        { sha: sha1("commit update branch"), parents: 2, author: "dora", committer: "web-flow" },
        { sha: s.head, parents: 1, author: "dora", committer: "web-flow" },
      ],
      // Only those who approved are asked about; a custom role is judged by its base permission.
      permissions: { maria: "write", olaf: "triage", sam: "write" },
      // The owners of the changed files (payments owns nothing changed) and the security team.
      teams: { "acme/platform": ["pia"], "acme/security": ["sam", "sven"], "acme/shop": ["dora", "maria"] },
    });

    // Nine distinct blobs (the moved catalog is the same blob, fetched once; the merge base's
    // .github/meshgate.yml is a YAML file under the default globs too; the excluded chart's
    // values.yaml, and the link's blob, its target): still one query.
    expect(cache.size).toBe(9);
    expect(log.calls.map((c) => `${c.depth} ${c.route}`).sort()).toEqual([
      `1 GET /repos/acme/shop/compare/${s.baseTip}...${s.head}`,
      `1 GET /repos/acme/shop/git/trees/${s.head}`,
      `1 GET /repos/acme/shop/git/trees/${s.baseTip}`,
      "1 GET /repos/acme/shop/pulls/7/commits",
      "1 GET /repos/acme/shop/pulls/7/reviews",
      "1 POST /graphql",
      "2 GET /repos/acme/shop/collaborators/maria/permission",
      "2 GET /repos/acme/shop/collaborators/olaf/permission",
      "2 GET /repos/acme/shop/collaborators/sam/permission",
      `2 GET /repos/acme/shop/git/trees/${s.mergeBase}`,
      "3 GET /orgs/acme/teams/platform/members",
      "3 GET /orgs/acme/teams/security/members",
      "3 GET /orgs/acme/teams/shop/members",
      "3 POST /graphql",
    ]);
    expect({ calls: log.calls.length, depth: log.depth() }).toEqual({ calls: 14, depth: 3 });

    // The same evaluation again (a review came in): every blob is cached, no blob query.
    log.reset();
    mockPullRequest(s, { blobQueries: 0 });
    const again = await gatherInputs({ octokit, target: s.target, cache, catalog, now: NOW });
    s.repo.mock.done();
    expect(again).toEqual(inputs);
    expect({ calls: log.calls.length, depth: log.depth() }).toEqual({ calls: 13, depth: 3 });

    // What the core makes of it: the base tip's config applies (the head's would exclude apps/**).
    const verdict = evaluate(inputs);
    expect(verdict.config.rules.failOn).toBe("medium");
    expect(verdict.changes.changes.length).toBeGreaterThan(0);
    const byRule = (rule: string) => verdict.approvals?.requirements.filter((r) => r.rule === rule).map((r) => [r.subject, r.status]);
    expect(byRule("CHG-004")).toEqual([["policy edit (.github/meshgate.yml)", "satisfied"]]);
    expect(byRule("CHG-002")).toContainEqual(["src/server.ts", "pending"]);
  });

  it("reads a fork's head through the base repository, by sha", async () => {
    // The head commit lives in contributor/shop; every read goes to acme/shop, where GitHub
    // keeps the pull request's commits. A call to the fork would match no mock and fail.
    const s = shop();
    const octokit = testClient();
    const log = instrument(octokit);
    mockPullRequest(s, { blobQueries: 1 });
    const inputs = await gatherInputs({ octokit, target: { ...s.target, pullRequest: { number: 7, author: "dora", commits: 3 } }, cache: new BlobCache(), catalog, now: NOW });
    s.repo.mock.done();
    expect(inputs.head.files.get("apps/storefront.yaml")).toBe(STOREFRONT_AT_HEAD);
    expect(log.calls.every((c) => c.route.startsWith("GET /repos/acme/shop/") || c.route.startsWith("GET /orgs/acme/") || c.route === "POST /graphql")).toBe(true);
    for (const request of s.repo.mock.requests.filter((r) => r.path === "/graphql")) {
      expect((request.body as { variables: Record<string, string> }).variables).toMatchObject({ owner: "acme", name: "shop" });
    }
  });

  it("leaves a team GitHub will not show (404, 403) out of `teams`: unresolved, which the core fails closed on", async () => {
    const repo = new FakeRepository("acme", "shop");
    const codeowners = "/apps/  @partner-org/shop @acme/hidden\n/mesh/  @acme/platform\n";
    const files = { ".github/CODEOWNERS": codeowners, "apps/storefront.yaml": STOREFRONT, "mesh/mesh-defaults.yaml": example("mesh/mesh-defaults.yaml") };
    const base = repo.commit("base", files);
    const head = repo.commit("head", { ...files, "apps/storefront.yaml": STOREFRONT_AT_HEAD, "mesh/mesh-defaults.yaml": "# emptied\n" });
    repo.mockCompare(base, head, base);
    repo.mockPolicy();
    repo.mockTree(base);
    repo.mockTree(head);
    repo.mockBlobQueries(1);
    repo.mockList(`${repo.path}/pulls/9/reviews`, [review("maria", "APPROVED", head, "2026-11-28T11:00:00Z")]);
    repo.mockList(`${repo.path}/pulls/9/commits`, [pullCommit(head, 1, "dora", "dora")]);
    repo.mockPermission("maria", { permission: "write", role_name: "maintain" });
    repo.mockList("/orgs/partner-org/teams/shop/members", [], { status: 404 });
    repo.mockList("/orgs/acme/teams/hidden/members", [], { status: 403 });
    repo.mockList("/orgs/acme/teams/platform/members", [member("pia")]);

    const octokit = testClient();
    const inputs = await gatherInputs({ octokit, target: { repo: { owner: "acme", repo: "shop" }, headSha: head, baseSha: base, pullRequest: { number: 9, author: "dora", commits: 1 } }, cache: new BlobCache(), catalog, now: NOW });
    repo.mock.done();
    expect(inputs.review?.teams).toEqual({ "acme/platform": ["pia"] });
    expect(inputs.review?.permissions).toEqual({ maria: "maintain" });

    const apps = evaluate(inputs).approvals?.requirements.find((r) => r.rule === "CHG-002" && r.files.includes("apps/storefront.yaml"));
    expect(apps?.status).toBe("failed-closed");
    expect(apps?.unknowns).toContain("the members of @partner-org/shop were not resolved");
  });

  it("fails closed on a truncated tree, once every read in flight has answered", async () => {
    const s = shop();
    const { repo } = s;
    repo.mockCompare(s.baseTip, s.head, s.mergeBase);
    repo.mockPolicy();
    repo.mockTree(s.head, { truncated: true });
    repo.mockTree(s.baseTip);
    repo.mockTree(s.mergeBase);
    repo.mockList(`${repo.path}/pulls/7/reviews`, []);
    repo.mockList(`${repo.path}/pulls/7/commits`, [pullCommit(s.head, 1, "dora", "dora")]);

    const octokit = testClient();
    const log = instrument(octokit);
    const gathered = gatherInputs({ octokit, target: s.target, cache: new BlobCache(), catalog, now: NOW });
    await expect(gathered).rejects.toThrow(CouldNotEvaluate);
    await expect(gathered).rejects.toThrow(/truncated the file tree/);
    repo.mock.done();
    // No blob and no team was asked for on a partial picture.
    expect(log.calls.map((c) => c.route).filter((r) => r.includes("/teams/") || r === "POST /graphql")).toEqual(["POST /graphql"]);
  });

  it("fails closed, without a call, on a pull request of more than 250 commits", async () => {
    const s = shop();
    const octokit = testClient();
    const log = instrument(octokit);
    await expect(gatherInputs({ octokit, target: { ...s.target, pullRequest: { number: 7, author: "dora", commits: 251 } }, cache: new BlobCache(), catalog, now: NOW })).rejects.toThrow(
      new CouldNotEvaluate("pull request #7 has 251 commits; GitHub lists at most 250, so its committers cannot all be known"),
    );
    expect(log.calls).toEqual([]);
  });

  it("fails closed when the commit list, read page by page in parallel, lacks the head (truncated, or the head moved)", async () => {
    const s = shop();
    const { repo } = s;
    mockPullRequestWithoutCommits(s);
    const commits = Array.from({ length: 250 }, (_, i) => pullCommit(sha1(`old ${i}`), 1, "dora", "dora"));
    repo.mockList(`${repo.path}/pulls/7/commits`, commits);

    const octokit = testClient();
    const log = instrument(octokit);
    await expect(gatherInputs({ octokit, target: { ...s.target, pullRequest: { number: 7, author: "dora", commits: 250 } }, cache: new BlobCache(), catalog, now: NOW })).rejects.toThrow(
      /do not include its head/,
    );
    repo.mock.done();
    // Page 1 tells the last page; pages 2 and 3 go out together.
    expect(log.calls.filter((c) => c.route.endsWith("/commits")).map((c) => c.depth)).toEqual([1, 2, 2]);
  });
});

/** PR #7's calls, commits excepted, with no reviews to ask permissions for. */
function mockPullRequestWithoutCommits(s: Shop): void {
  const { repo } = s;
  repo.mockCompare(s.baseTip, s.head, s.mergeBase);
  repo.mockPolicy();
  repo.mockTree(s.head);
  repo.mockTree(s.baseTip);
  repo.mockTree(s.mergeBase);
  repo.mockBlobQueries(1);
  repo.mockList(`${repo.path}/pulls/7/reviews`, []);
  repo.mockList("/orgs/acme/teams/platform/members", [member("pia")]);
  repo.mockList("/orgs/acme/teams/security/members", [member("sven")]);
  repo.mockList("/orgs/acme/teams/shop/members", [member("maria")]);
}

describe("gatherInputs for a merge group", () => {
  it("reads the rules' inputs only: no reviews, rulesOnly", async () => {
    const s = shop();
    const { repo } = s;
    repo.mockCompare(s.baseTip, s.head, s.mergeBase);
    repo.mockPolicy();
    repo.mockTree(s.head);
    repo.mockTree(s.baseTip);
    repo.mockTree(s.mergeBase);
    repo.mockBlobQueries(1);

    const octokit = testClient();
    const log = instrument(octokit);
    const group: EvaluationTarget = { repo: s.target.repo, headSha: s.head, baseSha: s.baseTip };
    const inputs = await gatherInputs({ octokit, target: group, cache: new BlobCache(), catalog, now: NOW });
    repo.mock.done();
    expect(inputs.rulesOnly).toBe(true);
    expect(inputs.review).toBeUndefined();
    expect(inputs.head.files.get("apps/storefront.yaml")).toBe(STOREFRONT_AT_HEAD);
    expect({ calls: log.calls.length, depth: log.depth() }).toEqual({ calls: 6, depth: 3 });
    expect(evaluate(inputs).approvals).toBeUndefined();
  });
});

describe("gatherInputs at scale", () => {
  /** A repository of `count` Applications; the PR changes `changed` of them. No CODEOWNERS, no security team: no team calls. */
  function manyApps(count: number, changed: number) {
    const repo = new FakeRepository("acme", "mesh");
    const app = (i: number, weight = 10): string => STOREFRONT.replace("name: storefront", `name: store-${i}`).replace("weight: 90", `weight: ${100 - weight}`).replace("weight: 10 ", `weight: ${weight} `);
    const files = Object.fromEntries(Array.from({ length: count }, (_, i) => [`apps/store-${i}.yaml`, app(i)]));
    const base = repo.commit(`base ${count}`, files);
    const headFiles = { ...files };
    for (let i = 0; i < changed; i++) headFiles[`apps/store-${i}.yaml`] = app(i, 20 + changed);
    const head = repo.commit(`head ${count} ${changed}`, headFiles);
    const target: EvaluationTarget = { repo: { owner: "acme", repo: "mesh" }, headSha: head, baseSha: base, pullRequest: { number: 1, author: "dora", commits: 1 } };
    const mock = (blobQueries: number): void => {
      repo.mockCompare(base, head, base);
      repo.mockPolicy();
      repo.mockTree(base);
      repo.mockTree(head);
      repo.mockBlobQueries(blobQueries);
      repo.mockList(`${repo.path}/pulls/1/reviews`, []);
      repo.mockList(`${repo.path}/pulls/1/commits`, [pullCommit(head, 1, "dora", "dora")]);
    };
    return { repo, target, mock };
  }

  async function measure(count: number, cache: BlobCache, changed = 1): Promise<{ calls: number; depth: number; blobsPerQuery: number[] }> {
    const { repo, target, mock } = manyApps(count, changed);
    const uncached = [...repo.blobs.keys()].filter((sha) => cache.get(sha) === undefined).length;
    mock(Math.ceil(uncached / BLOB_BATCH_SIZE));
    const octokit = testClient();
    const log = instrument(octokit);
    const inputs = await gatherInputs({ octokit, target, cache, catalog, now: NOW });
    repo.mock.done();
    expect(inputs.base.files.size).toBe(count);
    expect(inputs.head.files.size).toBe(count);
    const blobsPerQuery = repo.mock.requests
      .filter((r) => r.path === "/graphql" && isBlobQuery(r.body))
      .map((r) => Object.keys((r.body as { variables: object }).variables).length - 2);
    return { calls: log.calls.length, depth: log.depth(), blobsPerQuery };
  }

  it("grows only with the uncached blobs divided by the batch size, at a fixed depth", async () => {
    // Cold: 6 fixed calls (compare, policy, 2 trees, reviews, commits) + ⌈blobs / 250⌉ queries,
    // all in two round trips: the base tip is the merge base, so both trees are read at once.
    expect(await measure(10, new BlobCache())).toEqual({ calls: 7, depth: 2, blobsPerQuery: [11] });
    const cache = new BlobCache();
    expect(await measure(600, cache)).toEqual({ calls: 9, depth: 2, blobsPerQuery: [250, 250, 101] });
    // Warm, the same PR again: no blob query, and one round trip fewer.
    expect(await measure(600, cache)).toEqual({ calls: 6, depth: 1, blobsPerQuery: [] });
    // Warm, another PR on the same repository changing three Applications: their three new blobs only.
    expect(await measure(600, cache, 3)).toEqual({ calls: 7, depth: 2, blobsPerQuery: [3] });
  });
});

describe("gatherBlobs batches", () => {
  /** The blobs each GraphQL query asked for, when gathering `files` from a cold cache takes `queries` queries. */
  async function batches(files: Record<string, string>, queries: number): Promise<number[]> {
    const repo = new FakeRepository("acme", "mesh");
    const commit = repo.commit("files", files);
    const blobs = Object.keys(files).map((path) => {
      const sha = repo.blobShaOf(commit, path);
      return { sha, size: repo.blobs.get(sha)?.content.length ?? 0 };
    });
    repo.mockBlobQueries(queries);
    const texts = await gatherBlobs({ octokit: testClient(), repo: { owner: "acme", repo: "mesh" }, cache: new BlobCache(), blobs });
    repo.mock.done();
    expect(texts.size).toBe(blobs.length);
    return repo.mock.requests.filter((r) => isBlobQuery(r.body)).map((r) => Object.keys((r.body as { variables: object }).variables).length - 2).sort((a, b) => b - a);
  }

  it(`close at ${BLOB_BATCH_SIZE} blobs`, async () => {
    const files = Object.fromEntries(Array.from({ length: BLOB_BATCH_SIZE + 1 }, (_, i) => [`app-${i}.yaml`, `# app ${i}`]));
    expect(await batches(files, 2)).toEqual([BLOB_BATCH_SIZE, 1]);
  });

  it("close before the byte budget would be passed", async () => {
    // Each file is 45% of the budget: two fit, the third opens a batch.
    const large = Math.floor(BLOB_BATCH_BYTES * 0.45);
    const files = Object.fromEntries([0, 1, 2].map((i) => [`large-${i}.yaml`, `#${String(i).repeat(large)}`]));
    expect(await batches(files, 2)).toEqual([2, 1]);
  });
});

describe("gatherInputs on blobs it cannot read as text", () => {
  it("gives a binary or over-size manifest a text the core reports, and reads a long one whole", async () => {
    const repo = new FakeRepository("acme", "shop");
    const files = { "apps/storefront.yaml": STOREFRONT };
    const base = repo.commit("base", files);
    const long = `${STOREFRONT}\n${"# padding\n".repeat(100)}`;
    const head = repo.commit("head", {
      ...files,
      "apps/logo.yaml": { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]) },
      // The tree says 9 MB: over meshgate's 8 MiB limit, so never fetched.
      "apps/huge.yaml": { text: "kind: Huge\n", size: 9_000_000 },
      "apps/long.yaml": { text: long.replace("name: storefront", "name: long"), truncatedInGraphql: true },
    });
    repo.mockCompare(base, head, base);
    repo.mockPolicy();
    repo.mockTree(base);
    repo.mockTree(head);
    repo.mockBlobQueries(1);
    repo.mockWholeBlob(repo.blobShaOf(head, "apps/long.yaml"));

    const octokit = testClient();
    const log = instrument(octokit);
    const inputs = await gatherInputs({ octokit, target: { repo: { owner: "acme", repo: "shop" }, headSha: head, baseSha: base }, cache: new BlobCache(), catalog, now: NOW });
    repo.mock.done();
    expect(inputs.head.files.get("apps/long.yaml")).toBe(repo.textOf(head, "apps/long.yaml"));
    expect(inputs.head.files.get("apps/logo.yaml")).toBe("\u0000 meshgate did not read this file: binary");
    expect(inputs.head.files.get("apps/huge.yaml")).toBe("\u0000 meshgate did not read this file: 9000000 bytes, over meshgate's limit of 8388608");
    // The truncated text costs one more round trip, for that blob only.
    expect({ calls: log.calls.length, depth: log.depth() }).toEqual({ calls: 6, depth: 3 });

    const errors = evaluate(inputs).diagnostics.head.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}`);
    expect(errors).toEqual(expect.arrayContaining(["apps/logo.yaml:1", "apps/huge.yaml:1"]));
    expect(evaluate(inputs).conclusion).toBe("failure");
  });
});

describe("gatherInputs with symbolic links (git mode 120000: the blob is the target)", () => {
  it("reads a link's target at the link's path, refuses a link out of the repository, and the evaluation fails on it", async () => {
    const repo = new FakeRepository("acme", "shop");
    const files = { "apps/storefront.yaml": STOREFRONT, "shared/policy.txt": "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-all, namespace: shop }\nspec: { action: ALLOW, rules: [{}] }\n" };
    const base = repo.commit("base", files);
    const head = repo.commit("head", {
      ...files,
      "apps/policy.yaml": { text: "../shared/policy.txt", mode: "120000" },
      "apps/escape.yaml": { text: "../../../etc/istio/mesh.yaml", mode: "120000" },
    });
    repo.mockCompare(base, head, base);
    repo.mockPolicy();
    repo.mockTree(base);
    repo.mockTree(head);
    // The links' blobs come with the manifests; the target, no manifest by its name, one query later.
    repo.mockBlobQueries(2);

    const inputs = await gatherInputs({ octokit: testClient(), target: { repo: { owner: "acme", repo: "shop" }, headSha: head, baseSha: base }, cache: new BlobCache(), catalog, now: NOW });
    repo.mock.done();
    expect([...inputs.head.files.keys()]).toEqual(["apps/policy.yaml", "apps/storefront.yaml"]);
    expect(inputs.head.files.get("apps/policy.yaml")).toBe(files["shared/policy.txt"]);
    expect(inputs.readDiagnostics?.map((d) => `${d.file}:${d.line} ${d.severity}`)).toEqual(["apps/escape.yaml:1 error", "apps/policy.yaml:1 notice"]);
    const verdict = evaluate(inputs);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.changes.changes.map((c) => `${c.change} ${c.kind} ${c.namespace}/${c.name}`)).toEqual(["added AuthorizationPolicy shop/allow-all"]);
  });
});

describe("gatherInputs reading the base tip's tree on a wager", () => {
  it("fails closed when the base tip is the merge base and its tree is truncated: the wager won is the base side", async () => {
    const repo = new FakeRepository("acme", "shop");
    const base = repo.commit("base", { "apps/storefront.yaml": STOREFRONT });
    const head = repo.commit("head", { "apps/storefront.yaml": STOREFRONT_AT_HEAD });
    repo.mockCompare(base, head, base);
    repo.mockPolicy();
    repo.mockTree(head);
    repo.mockTree(base, { truncated: true });
    const octokit = testClient();
    const log = instrument(octokit);
    await expect(gatherInputs({ octokit, target: { repo: { owner: "acme", repo: "shop" }, headSha: head, baseSha: base }, cache: new BlobCache(), catalog, now: NOW })).rejects.toThrow(
      `GitHub truncated the file tree of ${base}`,
    );
    repo.mock.done();
    // One tree call per side: the merge base's tree is the tip's, not read twice.
    expect(log.calls.filter((c) => c.route.includes("/git/trees/"))).toHaveLength(2);
  });
});

describe("gatherInputs reading the policy", () => {
  function policyRepository(codeowners: { text?: string; bytes?: Buffer; truncatedInGraphql?: boolean }) {
    const repo = new FakeRepository("acme", "shop");
    const files = { "CODEOWNERS": codeowners, "apps/storefront.yaml": STOREFRONT };
    const base = repo.commit("base", files);
    const head = repo.commit("head", { ...files, "apps/storefront.yaml": STOREFRONT_AT_HEAD });
    return { repo, base, head, target: { repo: { owner: "acme", repo: "shop" }, headSha: head, baseSha: base } satisfies EvaluationTarget };
  }

  it("reads whole a CODEOWNERS that GraphQL truncates or calls binary (never a partial policy), one round trip later", async () => {
    for (const codeowners of [
      { text: `${"/docs/  @acme/docs\n".repeat(50)}/apps/  @acme/shop\n`, truncatedInGraphql: true },
      { bytes: Buffer.from("/apps/  @acme/shop\n\u0001\n", "utf8") },
    ]) {
      const { repo, base, head, target } = policyRepository(codeowners);
      repo.mockCompare(base, head, base);
      repo.mockPolicy();
      repo.mockWholeBlob(repo.blobShaOf(base, "CODEOWNERS"));
      repo.mockTree(base);
      repo.mockTree(head);
      repo.mockBlobQueries(1);
      const octokit = testClient();
      const log = instrument(octokit);
      const inputs = await gatherInputs({ octokit, target, cache: new BlobCache(), catalog, now: NOW });
      repo.mock.done();
      expect(inputs.policy.files.get("CODEOWNERS")).toBe(repo.textOf(base, "CODEOWNERS"));
      expect(log.calls.find((c) => c.route.includes("/git/blobs/"))?.depth).toBe(2);
      // The manifests wait for the policy that selects them: 3 round trips instead of 2.
      expect(log.depth()).toBe(3);
    }
  });

  it("fails closed when the base tip is unknown, instead of reading its policy as absent", async () => {
    const { repo, base, head, target } = policyRepository({ text: "/apps/  @acme/shop\n" });
    const unknown = sha1("a commit GitHub does not have");
    repo.mockCompare(unknown, head, base);
    repo.mockPolicy();
    repo.mockTree(head);
    repo.mockTree(base);
    // The wager on the base tip's tree, lost: its failure is not the one reported.
    repo.scope.get(`${repo.path}/git/trees/${unknown}`).query({ recursive: "1" }).reply(404, { message: "Not Found" });
    const octokit = testClient();
    await expect(gatherInputs({ octokit, target: { ...target, baseSha: unknown }, cache: new BlobCache(), catalog, now: NOW })).rejects.toThrow(
      new CouldNotEvaluate(`GitHub has no commit ${unknown} in acme/shop to read the policy from`),
    );
    repo.mock.done();
  });
});
