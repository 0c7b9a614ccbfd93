import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { shopFixture } from "./support.js";

const shop = shopFixture();
const repo = { owner: "acme", repo: "shop" };

// Probot started with GHE_HOST=127.0.0.1:PORT and GHE_PROTOCOL=http calls REST under /api/v3
// and GraphQL at /api/graphql, as it calls a GitHub Enterprise Server.
describe("GitHub Enterprise Server paths", () => {
  function enterpriseOctokit(): InstanceType<typeof ProbotOctokit> {
    return new ProbotOctokit({ auth: { token: shop.standIn.issueToken() }, baseUrl: `${shop.standIn.url}/api/v3`, retry: { enabled: false }, throttle: { enabled: false } });
  }

  it("serves REST under /api/v3 and GraphQL at /api/graphql, recording the API paths", async () => {
    const octokit = enterpriseOctokit();
    const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: shop.pull });
    const main = await shop.standIn.git.resolveCommit("main");
    const data = await octokit.graphql<{ repository: { object: { oid: string } } }>(`query($oid: GitObjectID!) { repository(owner: "acme", name: "shop") { object(oid: $oid) { oid } } }`, { oid: main });
    expect(pr.base.sha).toBe(main);
    expect(data.repository.object.oid).toBe(main);
    expect(shop.standIn.calls.map((c) => [c.method, c.path, c.route, c.status])).toEqual([
      ["GET", `/repos/acme/shop/pulls/${shop.pull}`, "GET /repos/{owner}/{repo}/pulls/{pull_number}", 200],
      ["POST", "/graphql", "POST /graphql", 200],
    ]);
  });

  it("keeps the prefix in Link headers, so pagination stays on the Enterprise paths", async () => {
    const octokit = enterpriseOctokit();
    for (let i = 0; i < 3; i++) shop.standIn.addComment({ issue: shop.pull, user: "sam", body: `comment ${i}` });
    const first = await octokit.rest.issues.listComments({ ...repo, issue_number: shop.pull, per_page: 2 });
    expect(first.headers.link).toContain(`${shop.standIn.url}/api/v3/repos/acme/shop/issues/${shop.pull}/comments?`);
    const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: shop.pull, per_page: 2 });
    expect(all.map((c) => c.body)).toEqual(["comment 0", "comment 1", "comment 2"]);
  });

  it("answers 404 for paths outside the API, with or without the prefix", async () => {
    for (const path of ["/api/v3", "/api/v4/repos/acme/shop/pulls/7", "/api/v3/unknown"]) {
      const response = await fetch(`${shop.standIn.url}${path}`, { headers: { authorization: `token ${shop.standIn.issueToken()}` } });
      expect(response.status, path).toBe(404);
      await response.body?.cancel();
    }
  });
});
