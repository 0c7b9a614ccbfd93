import { createsContent } from "./github-lanes.js";

/**
 * A write withheld because the job's run no longer holds its pull request (its lock expired
 * and another worker may run the job now). Named "AbortError" on purpose: @octokit/request
 * passes an AbortError thrown by `fetch` through as it is, where it wraps any other error in a
 * RequestError of status 500, which Octokit's retry plugin would send again (and the guard
 * would refuse again, seconds later).
 */
export class JobLost extends Error {
  override readonly name = "AbortError";
}

/**
 * The `fetch` of a job's client: each request that creates content (a check run, its
 * completion, a comment, a reaction) asks `mayWrite` first and is not sent when it answers
 * false. Reads are sent as they are.
 *
 * Why here and not in a request hook: Octokit runs its request hooks outermost last-registered
 * (before-after-hook wraps each new hook around the ones before), and the plugins of Probot's
 * Octokit come before meshgate's, so on its way out a request meets meshgate's content pacing
 * (github-lanes.ts: the hourly budget, then the installation's write slot), then the retry
 * plugin, then the throttling plugin (its `global` lane, and its waits of `retry-after` seconds
 * on a secondary rate limit), then authentication, and only then `fetch`. A hook of ours would
 * sit outside all of them, and a write could wait there for a long time after it was allowed;
 * `fetch` is called for each attempt, after every wait, just before the bytes leave.
 */
export function guardedFetch(params: { mayWrite: () => Promise<boolean>; fetch?: typeof globalThis.fetch }): typeof globalThis.fetch {
  const { mayWrite } = params;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // The path as the lanes know it: without GitHub Enterprise Server's /api/v3 prefix.
    const path = new URL(url).pathname.replace(/^\/api\/v3(?=\/)/, "");
    if (createsContent({ method: init?.method ?? "GET", url: path, query: graphqlQueryOf(init?.body) }) && !(await mayWrite())) {
      throw new JobLost(`meshgate withheld ${init?.method ?? "GET"} ${path}: this worker no longer holds the job`);
    }
    // Looked up at each call, not when the client is made, so that a fetch patched later (tests) is the one used.
    return (params.fetch ?? globalThis.fetch)(input, init);
  };
}

/** The GraphQL document of a request body (createsContent tells a query from a mutation by it). */
function graphqlQueryOf(body: unknown): unknown {
  if (typeof body !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null && "query" in parsed ? parsed.query : undefined;
  } catch {
    return undefined;
  }
}
