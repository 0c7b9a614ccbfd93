import nock from "nock";
import { describe, expect, it } from "vitest";
import { MeshgateOctokit, retriesSecondaryRateLimit, SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS } from "../../src/github/meshgate-octokit.js";

const SECONDARY = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

/** The layer Probot's server puts around the Octokit it is given: a secondary-rate-limit handler that never retries. */
const AsProbotRunsIt = MeshgateOctokit.defaults((options: { throttle?: object }) => ({
  ...options,
  throttle: { ...options.throttle, onSecondaryRateLimit: () => false, onRateLimit: () => false },
}));

function client(): InstanceType<typeof MeshgateOctokit> {
  return new AsProbotRunsIt({ auth: "test-token", retry: { enabled: false }, log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
}

describe("secondary rate limits", () => {
  it("are retried after GitHub's retry-after, twice at most, and only for a short wait", () => {
    expect(retriesSecondaryRateLimit({ retryAfterSeconds: 1, retryCount: 0 })).toBe(true);
    expect(retriesSecondaryRateLimit({ retryAfterSeconds: SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS, retryCount: 1 })).toBe(true);
    expect(retriesSecondaryRateLimit({ retryAfterSeconds: 1, retryCount: 2 })).toBe(false);
    expect(retriesSecondaryRateLimit({ retryAfterSeconds: SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS + 1, retryCount: 0 })).toBe(false);
  });

  it("overrides the handler of Probot's server, so the request is sent again and answers", async () => {
    const scope = nock("https://api.github.com")
      .get("/repos/acme/shop")
      .reply(403, SECONDARY, { "retry-after": "1" })
      .get("/repos/acme/shop")
      .reply(200, { id: 1, name: "shop" });
    const { data } = await client().rest.repos.get({ owner: "acme", repo: "shop" });
    expect(data.name).toBe("shop");
    scope.done();
  });

  it("gives up when GitHub asks for a longer wait", async () => {
    const scope = nock("https://api.github.com")
      .get("/repos/acme/shop")
      .reply(403, SECONDARY, { "retry-after": String(SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS + 1) });
    await expect(client().rest.repos.get({ owner: "acme", repo: "shop" })).rejects.toMatchObject({ status: 403 });
    scope.done();
  });
});
