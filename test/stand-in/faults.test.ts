import { performance } from "node:perf_hooks";
import { describe, expect, it, vi } from "vitest";
import type { Fault } from "../../tools/github-stand-in/index.js";
import { octokitFor, shopFixture } from "./support.js";

const shop = shopFixture();
const repo = { owner: "acme", repo: "shop" };
const TREES = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
const PULL = "GET /repos/{owner}/{repo}/pulls/{pull_number}";

function get(path: string, timeoutMs = 5000): Promise<Response> {
  return fetch(`${shop.standIn.url}${path}`, { headers: { authorization: `token ${shop.standIn.issueToken()}` }, signal: AbortSignal.timeout(timeoutMs) });
}

describe("latency", () => {
  it("delays the calls of a route, and of every route with *", async () => {
    shop.standIn.inject(TREES, { kind: "latency", ms: 150 });
    await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    await shop.octokit.rest.pulls.get({ ...repo, pull_number: shop.pull });
    shop.standIn.inject("*", { kind: "latency", ms: 50 });
    await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    // Lower bounds only: a loaded machine can slow any call, never speed up a delayed one.
    const [tree, , slower] = shop.standIn.calls.map((c) => c.end - c.start);
    expect(tree).toBeGreaterThanOrEqual(150);
    expect(slower).toBeGreaterThanOrEqual(200);
    shop.standIn.clearFaults();
    await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    expect(shop.standIn.calls).toHaveLength(4);
  });
});

describe("server errors", () => {
  it("answers 5xx to the next N calls of a route, then recovers", async () => {
    shop.standIn.inject(PULL, { kind: "server-error", times: 2 });
    shop.standIn.inject(PULL, { kind: "server-error", times: 1, status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(await shop.octokit.rest.pulls.get({ ...repo, pull_number: shop.pull }).then((r) => r.status, (e: unknown) => (e as { status: number }).status));
    }
    expect(statuses).toEqual([502, 502, 500, 200]);
    expect(shop.standIn.calls.map((c) => c.fault)).toEqual(["server-error", "server-error", "server-error", undefined]);
  });

  it("lets Octokit's retry plugin ride it out", async () => {
    shop.standIn.inject(PULL, { kind: "server-error", times: 2, status: 503 });
    const octokit = octokitFor(shop.standIn, { retry: { enabled: true, retryAfterBaseValue: 5 } });
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: shop.pull });
    expect(data.number).toBe(shop.pull);
    expect(shop.standIn.calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it("applies a * fault to any route, after the route's own", async () => {
    shop.standIn.inject("*", { kind: "server-error", times: 1 });
    shop.standIn.inject(TREES, { kind: "server-error", times: 1, status: 504 });
    expect((await get("/repos/acme/shop/git/trees/main")).status).toBe(504);
    expect((await get(`/repos/acme/shop/pulls/${shop.pull}`)).status).toBe(502);
    expect((await get("/repos/acme/shop/git/trees/main")).status).toBe(200);
  });
});

describe("rate limits", () => {
  it("answers a secondary rate limit as GitHub does: 403, retry-after, the message Octokit recognises", async () => {
    shop.standIn.inject(TREES, { kind: "secondary-rate-limit", times: 1, retryAfterSeconds: 7 });
    const response = await get("/repos/acme/shop/git/trees/main");
    expect(response.status).toBe(403);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(Number(response.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    expect(response.headers.get("x-ratelimit-resource")).toBe("core");
    const body = (await response.json()) as { message: string; documentation_url: string };
    expect(body.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(body.documentation_url).toContain("secondary-rate-limits");
  });

  it("makes Octokit's throttling plugin wait retry-after seconds and retry", async () => {
    shop.standIn.inject(TREES, { kind: "secondary-rate-limit", times: 1, retryAfterSeconds: 1 });
    const onSecondaryRateLimit = vi.fn(() => true);
    const octokit = octokitFor(shop.standIn, { throttle: { enabled: true, onSecondaryRateLimit, onRateLimit: () => false } });
    const started = performance.now();
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    expect(data.tree.length).toBeGreaterThan(0);
    expect(onSecondaryRateLimit).toHaveBeenCalledTimes(1);
    expect(onSecondaryRateLimit.mock.calls[0]).toEqual([1, expect.anything(), expect.anything(), 0]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(shop.standIn.calls.map((c) => c.status)).toEqual([403, 200]);
  });

  it("answers a spent primary rate limit with x-ratelimit-remaining 0 and the reset time", async () => {
    shop.standIn.inject(PULL, { kind: "rate-limit", times: 1, resetInSeconds: 30 });
    const response = await get(`/repos/acme/shop/pulls/${shop.pull}`);
    expect(response.status).toBe(403);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    expect(reset - Date.now() / 1000).toBeGreaterThan(25);
    expect(((await response.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
  });
});

describe("timeouts", () => {
  it("hangs beyond the client's timeout, then cuts the connection", async () => {
    shop.standIn.inject(TREES, { kind: "hang", times: 1, ms: 300 });
    const started = performance.now();
    await expect(get("/repos/acme/shop/git/trees/main", 5000)).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    shop.standIn.inject(TREES, { kind: "hang", times: 1, ms: 60_000 });
    const error: unknown = await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main", request: { signal: AbortSignal.timeout(100) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [cut, abandoned] = shop.standIn.calls;
    expect([cut?.fault, cut?.status, abandoned?.fault, abandoned?.status]).toEqual(["hang", 0, "hang", 0]);
    // The stand-in stops waiting when the client leaves.
    expect((abandoned?.end ?? Infinity) - (abandoned?.start ?? 0)).toBeLessThan(1000);
    // The next call is answered.
    expect((await shop.octokit.rest.git.getTree({ ...repo, tree_sha: "main" })).status).toBe(200);
  });

  it("destroys the socket without an answer", async () => {
    shop.standIn.inject(PULL, { kind: "destroy", times: 1 });
    await expect(get(`/repos/acme/shop/pulls/${shop.pull}`)).rejects.toThrow();
    expect(shop.standIn.calls.map((c) => [c.fault, c.status])).toEqual([["destroy", 0]]);
  });

  it("closes at once, cutting a call that hangs and one that waits out its latency", async () => {
    shop.standIn.inject(TREES, { kind: "hang", times: 1, ms: 60_000 });
    shop.standIn.inject(PULL, { kind: "latency", ms: 60_000 });
    const hanging = get("/repos/acme/shop/git/trees/main", 30_000).then(() => "answered", () => "cut");
    const waiting = get(`/repos/acme/shop/pulls/${shop.pull}`, 30_000).then(() => "answered", () => "cut");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await shop.standIn.close();
    expect(await Promise.all([hanging, waiting])).toEqual(["cut", "cut"]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("injection", () => {
  it("refuses an unknown route and unbounded faults", () => {
    const injecting = (route: string, fault: Fault) => () => {
      shop.standIn.inject(route, fault);
    };
    expect(injecting("GET /repos/{owner}/{repo}/branches", { kind: "server-error", times: 1 })).toThrow(/serves no route/);
    expect(injecting(TREES, { kind: "server-error", times: 0 })).toThrow(RangeError);
    expect(injecting(TREES, { kind: "latency", ms: 600_000 })).toThrow(RangeError);
    expect(injecting(TREES, { kind: "hang", times: 1, ms: 10_000_000 })).toThrow(RangeError);
    expect(injecting(TREES, { kind: "secondary-rate-limit", times: 1, retryAfterSeconds: -1 })).toThrow(RangeError);
  });
});
