import { performance } from "node:perf_hooks";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { CONCURRENT_REQUESTS, CONTENT_BURST, CONTENT_REFILL_MS, createsContent, lanesFor } from "../../src/github/github-lanes.js";
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
    const held = heldReplies();
    const scope = nock("https://api.github.com").post("/graphql").times(queries).reply(async () => held.reply([200, { data: { viewer: { login: "meshgate" } } }]));
    const octokit = client("lanes-graphql");
    const sent = Promise.all(Array.from({ length: queries }, () => octokit.graphql("query { viewer { login } }")));
    // All of them in flight at once: the write lane would hold each until the one before was answered, and a second more.
    await held.arrived(queries);
    held.releaseAll();
    await sent;
    expect(held.most()).toBe(queries);
    scope.done();
  });

  it(`keeps ${CONCURRENT_REQUESTS} requests of an installation in flight, not the plugin's 10`, async () => {
    const total = CONCURRENT_REQUESTS + 5;
    // Every request GitHub receives is held until the test releases it: what is in flight is
    // counted, not timed.
    const held: (() => void)[] = [];
    let arrivals = 0;
    let inFlight = 0;
    let most = 0;
    const waiting = new Map<number, () => void>();
    const arrived = (count: number): Promise<void> => (arrivals >= count ? Promise.resolve() : new Promise((resolve) => waiting.set(count, resolve)));
    const scope = nock("https://api.github.com")
      .get(/^\/repos\/acme\/shop\/git\/blobs\/\d+$/)
      .times(total)
      .reply(async () => {
        arrivals++;
        inFlight++;
        most = Math.max(most, inFlight);
        const release = new Promise<void>((resolve) => held.push(resolve));
        waiting.get(arrivals)?.();
        await release;
        inFlight--;
        return [200, { content: "", encoding: "base64" }];
      });
    const octokit = client("lanes-concurrency");
    const requests = Promise.all(Array.from({ length: total }, (_, i) => octokit.rest.git.getBlob({ owner: "acme", repo: "shop", file_sha: String(i) })));
    await arrived(CONCURRENT_REQUESTS);
    // The others wait in the installation's lane, not on the wire.
    expect(lanesFor({}).global.key("lanes-concurrency").counts()).toMatchObject({ EXECUTING: CONCURRENT_REQUESTS });
    // Each answer lets exactly one more go.
    for (let released = 1; released <= total; released++) {
      held.shift()?.();
      await arrived(Math.min(total, CONCURRENT_REQUESTS + released));
    }
    await requests;
    expect({ most, inFlight, arrivals }).toEqual({ most: CONCURRENT_REQUESTS, inFlight: 0, arrivals: total });
    scope.done();
  });

  it(`lets a burst of ${CONTENT_BURST} writes go, then makes the next wait for a refill`, async () => {
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
    // The burst spent the bucket without waiting for a refill (the bucket's first refill is a
    // refill interval after its first write, which a clock cannot make come early): the 11th came after it.
    expect(arrivals).toHaveLength(CONTENT_BURST + 1);
    expect((arrivals[CONTENT_BURST] ?? 0) - started).toBeGreaterThanOrEqual(CONTENT_REFILL_MS - 50);
    scope.done();
  });

  it("paces each installation on its own: a write of each is in flight at once, where one lane holds one", async () => {
    const held = heldReplies();
    const scope = nock("https://api.github.com").post("/repos/acme/shop/check-runs").times(2).reply(async () => held.reply([201, { id: 1 }]));
    const sent = Promise.all(["lanes-one", "lanes-two"].map((installation) => client(installation).rest.checks.create({ owner: "acme", repo: "shop", name: "meshgate", head_sha: "a".repeat(40) })));
    await held.arrived(2);
    held.releaseAll();
    await sent;
    expect(held.most()).toBe(2);
    scope.done();
  });
});

/**
 * Replies GitHub holds until the test releases them, counting what is in flight: a test of
 * concurrency that waits on events, not on the clock.
 */
function heldReplies(): {
  reply: <T>(answer: T) => Promise<T>;
  arrived: (count: number) => Promise<void>;
  releaseAll: () => void;
  most: () => number;
} {
  const releases: (() => void)[] = [];
  const waiting = new Map<number, () => void>();
  let arrivals = 0;
  let inFlight = 0;
  let most = 0;
  let open = false;
  return {
    reply: async (answer) => {
      arrivals++;
      inFlight++;
      most = Math.max(most, inFlight);
      const released = open ? Promise.resolve() : new Promise<void>((resolve) => releases.push(resolve));
      waiting.get(arrivals)?.();
      await released;
      inFlight--;
      return answer;
    },
    arrived: (count) => (arrivals >= count ? Promise.resolve() : new Promise((resolve) => waiting.set(count, resolve))),
    releaseAll: () => {
      open = true;
      for (const release of releases.splice(0)) release();
    },
    most: () => most,
  };
}
