import nock from "nock";
import { describe, expect, it } from "vitest";
import { guardedFetch, JobLost } from "../../src/github/guarded-fetch.js";
import { MeshgateOctokit } from "../../src/github/meshgate-octokit.js";
import { startCheck } from "../../src/github/publish.js";

const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const REPO = { owner: "acme", repo: "shop" };
const SECONDARY = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

/** meshgate's Octokit as a job gets it (throttling and retries on), whose writes ask `answers` in turn. */
function clientAsking(answers: boolean[]): { client: InstanceType<typeof MeshgateOctokit>; asked: () => number } {
  let asked = 0;
  const mayWrite = (): Promise<boolean> => Promise.resolve(answers[asked++] ?? false);
  const client = new MeshgateOctokit({ auth: "test-token", log: QUIET, request: { fetch: guardedFetch({ mayWrite }) } });
  return { client, asked: () => asked };
}

describe("a job's writes ask whether it still holds its pull request", () => {
  it("each time one is sent, after the throttling plugin's wait on a secondary rate limit; a withheld one is not sent, nor retried", async () => {
    // Asked twice: before the first attempt (yes), and before the one the throttling plugin sends after GitHub's retry-after (no).
    const { client, asked } = clientAsking([true, false]);
    const scope = nock("https://api.github.com").post("/repos/acme/shop/check-runs").reply(403, SECONDARY, { "retry-after": "1" });
    await expect(startCheck({ octokit: client, repo: REPO, headSha: "a".repeat(40) })).rejects.toBeInstanceOf(JobLost);
    scope.done();
    // Octokit's retry plugin would ask again (and again) had the withheld write come back as a 500.
    expect(asked()).toBe(2);
  });

  it("a write withheld at once is never sent", async () => {
    const { client, asked } = clientAsking([false]);
    await expect(client.rest.checks.update({ ...REPO, check_run_id: 7, status: "completed", conclusion: "success" })).rejects.toBeInstanceOf(JobLost);
    await expect(client.rest.issues.createComment({ ...REPO, issue_number: 3, body: "hello" })).rejects.toBeInstanceOf(JobLost);
    expect(asked()).toBe(2);
  });

  it("reads and GraphQL queries go without asking; a GraphQL mutation asks", async () => {
    const { client, asked } = clientAsking([]);
    const scope = nock("https://api.github.com")
      .get("/repos/acme/shop")
      .reply(200, { id: 1, name: "shop" })
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "meshgate[bot]" } } });
    await client.rest.repos.get(REPO);
    await client.graphql("query { viewer { login } }");
    scope.done();
    expect(asked()).toBe(0);
    await expect(client.graphql("mutation { addStar(input: { starrableId: \"x\" }) { clientMutationId } }")).rejects.toBeInstanceOf(JobLost);
    expect(asked()).toBe(1);
  });
});
