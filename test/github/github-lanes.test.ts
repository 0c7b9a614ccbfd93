import { performance } from "node:perf_hooks";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { CONCURRENT_REQUESTS, CONTENT_BURST, createsContent } from "../../src/github/github-lanes.js";
import { MeshgateOctokit } from "../../src/github/meshgate-octokit.js";

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A client as Probot's server makes one for an installation: throttling on, the installation as the throttle id. */
function client(installation: string): InstanceType<typeof MeshgateOctokit> {
  return new MeshgateOctokit({ auth: "test-token", retry: { enabled: false }, log: quiet, throttle: { id: installation } });
}

describe("which requests create content", () => {
  it.each([
    ["GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", undefined, false],
    ["HEAD", "/repos/{owner}/{repo}", undefined, false],
    ["POST", "/repos/{owner}/{repo}/check-runs", undefined, true],
    ["PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", undefined, true],
    ["DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", undefined, true],
    ["POST", "/app/installations/{installation_id}/access_tokens", undefined, false],
    ["POST", "/graphql", "query($owner: String!) { repository(owner: $owner, name: \"x\") { id } }", false],
    ["POST", "/graphql", "{ viewer { login } }", false],
    ["POST", "/graphql", "# a comment\nquery { viewer { login } }", false],
    ["POST", "/graphql", "mutation { addReaction(input: {}) { clientMutationId } }", true],
    ["POST", "/graphql", "query A { viewer { login } } mutation B { x }", true],
    ["POST", "/graphql", undefined, true],
    ["POST", "/api/graphql", "query { viewer { login } }", false],
  ] as const)("%s %s %s → %s", (method, url, query, expected) => {
    expect(createsContent({ method, url, ...(query !== undefined ? { query } : {}) })).toBe(expected);
  });
});

describe("meshgate's lanes in Octokit's throttling", () => {
  it("sends GraphQL queries together, where the plugin's write lane would start one a second", async () => {
    const queries = 12;
    const scope = nock("https://api.github.com").post("/graphql").times(queries).reply(200, { data: { viewer: { login: "meshgate" } } });
    const octokit = client("lanes-graphql");
    const started = performance.now();
    await Promise.all(Array.from({ length: queries }, () => octokit.graphql("query { viewer { login } }")));
    // One second apart, 12 queries would take 11 s.
    expect(performance.now() - started).toBeLessThan(2_000);
    scope.done();
  });

  it(`keeps ${CONCURRENT_REQUESTS} requests of an installation in flight, not the plugin's 10`, async () => {
    let inFlight = 0;
    let most = 0;
    const scope = nock("https://api.github.com")
      .get(/^\/repos\/acme\/shop\/git\/blobs\/\d+$/)
      .times(CONCURRENT_REQUESTS + 5)
      .reply(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 100));
        inFlight--;
        return [200, { content: "", encoding: "base64" }];
      });
    const octokit = client("lanes-concurrency");
    await Promise.all(Array.from({ length: CONCURRENT_REQUESTS + 5 }, (_, i) => octokit.rest.git.getBlob({ owner: "acme", repo: "shop", file_sha: String(i) })));
    expect(most).toBe(CONCURRENT_REQUESTS);
    scope.done();
  });

  it(`lets a burst of ${CONTENT_BURST} writes go at once, then paces them to one a second`, async () => {
    const arrivals: number[] = [];
    const scope = nock("https://api.github.com")
      .post("/repos/acme/shop/check-runs")
      .times(CONTENT_BURST + 1)
      .reply(() => {
        arrivals.push(performance.now());
        return [201, { id: arrivals.length }];
      });
    const octokit = client("lanes-content");
    const started = performance.now();
    await Promise.all(Array.from({ length: CONTENT_BURST + 1 }, () => octokit.rest.checks.create({ owner: "acme", repo: "shop", name: "meshgate", head_sha: "a".repeat(40) })));
    const burst = arrivals.slice(0, CONTENT_BURST).map((t) => t - started);
    const next = (arrivals[CONTENT_BURST] ?? 0) - started;
    expect(Math.max(...burst)).toBeLessThan(700);
    expect(next).toBeGreaterThan(700);
    scope.done();
  });

  it("paces each installation on its own", async () => {
    const scope = nock("https://api.github.com").post("/repos/acme/shop/check-runs").times(2 * CONTENT_BURST).reply(201, { id: 1 });
    const started = performance.now();
    await Promise.all(
      ["lanes-one", "lanes-two"].flatMap((installation) => {
        const octokit = client(installation);
        return Array.from({ length: CONTENT_BURST }, () => octokit.rest.checks.create({ owner: "acme", repo: "shop", name: "meshgate", head_sha: "a".repeat(40) }));
      }),
    );
    expect(performance.now() - started).toBeLessThan(700);
    scope.done();
  });
});
