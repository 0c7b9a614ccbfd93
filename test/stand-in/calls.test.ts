import { describe, expect, it } from "vitest";
import { longestSequentialChain, sequentialDepth, type Interval } from "../../tools/github-stand-in/index.js";
import { shopFixture } from "./support.js";

const shop = shopFixture();
const repo = { owner: "acme", repo: "shop" };

/** O(n²) reference for intervals of positive length: one more than the deepest one ending before it starts. */
function bruteForceDepth(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.end - b.end);
  const depth = sorted.map(() => 1);
  sorted.forEach((interval, i) => {
    for (let j = 0; j < i; j++) if ((sorted[j]?.end ?? Infinity) <= interval.start) depth[i] = Math.max(depth[i] ?? 1, (depth[j] ?? 0) + 1);
  });
  return Math.max(0, ...depth);
}

describe("sequential depth", () => {
  it("counts overlapping calls as parallel and calls that follow one another as sequential", () => {
    expect(sequentialDepth([])).toBe(0);
    expect(sequentialDepth([{ start: 0, end: 10 }])).toBe(1);
    expect(sequentialDepth([{ start: 0, end: 10 }, { start: 5, end: 15 }])).toBe(1);
    expect(sequentialDepth([{ start: 0, end: 10 }, { start: 10, end: 20 }])).toBe(2);
  });

  it("finds the longest chain through parallel branches", () => {
    const calls = [
      { name: "compare", start: 0, end: 10 },
      { name: "base tree", start: 11, end: 20 },
      { name: "head tree", start: 11, end: 30 },
      { name: "blobs", start: 21, end: 25 },
      { name: "check run", start: 31, end: 40 },
    ];
    expect(longestSequentialChain(calls).map((c) => c.name)).toEqual(["compare", "base tree", "blobs", "check run"]);
  });

  it("agrees with a brute-force count on random intervals", () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 50; round++) {
      const intervals = Array.from({ length: 60 }, () => {
        const start = Math.floor(random() * 1000);
        return { start, end: start + 1 + Math.floor(random() * 80) };
      });
      const chain = longestSequentialChain(intervals);
      expect(chain.length).toBe(bruteForceDepth(intervals));
      chain.slice(1).forEach((call, i) => {
        expect(chain[i]?.end ?? Infinity).toBeLessThanOrEqual(call.start);
      });
    }
  });
});

describe("recorded calls", () => {
  it("records method, path, route, status and timing of every call, and measures the depth of a pipeline", async () => {
    shop.standIn.inject("*", { kind: "latency", ms: 40 });
    const { octokit } = shop;
    // compare → both trees at once → one blob batch → the check run: 5 calls, 4 round trips.
    const comparison = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...pr" });
    const [base, head] = await Promise.all([
      octokit.rest.git.getTree({ ...repo, tree_sha: comparison.data.merge_base_commit.sha, recursive: "1" }),
      octokit.rest.git.getTree({ ...repo, tree_sha: comparison.data.commits.at(-1)?.sha ?? "", recursive: "1" }),
    ]);
    const shas = [...new Set([...base.data.tree, ...head.data.tree].filter((e) => e.type === "blob").map((e) => e.sha))];
    await octokit.graphql(`{ repository(owner: "acme", name: "shop") { ${shas.map((sha, i) => `b${i}: object(oid: "${sha}") { ... on Blob { text } }`).join(" ")} } }`);
    await octokit.rest.checks.create({ ...repo, name: "meshgate", head_sha: comparison.data.commits.at(-1)?.sha ?? "", status: "in_progress" });

    const { calls } = shop.standIn;
    expect(calls.map((c) => [c.method, c.route, c.status])).toEqual([
      ["GET", "GET /repos/{owner}/{repo}/compare/{basehead}", 200],
      ["GET", "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", 200],
      ["GET", "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", 200],
      ["POST", "POST /graphql", 200],
      ["POST", "POST /repos/{owner}/{repo}/check-runs", 201],
    ]);
    expect(calls[1]?.query).toBe("recursive=1");
    expect(calls[4]?.body).toMatchObject({ name: "meshgate", status: "in_progress" });
    expect(calls.every((c) => c.end - c.start >= 40)).toBe(true);
    expect(sequentialDepth(calls)).toBe(4);
    shop.standIn.resetCalls();
    expect(shop.standIn.calls).toHaveLength(0);
  });
});
