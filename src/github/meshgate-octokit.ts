import type Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import { createsContent, lanesFor, WRITE_EXPIRATION_MS, writePriority } from "./github-lanes.js";

/** The longest wait GitHub may ask for that an evaluation sits out; past it, the check says "could not evaluate" (re-run it later). */
export const SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS = 60;
/** Retries of one request refused by secondary rate limits. */
export const SECONDARY_RATE_LIMIT_RETRIES = 2;

/** Whether a request GitHub refused with a secondary rate limit is sent again after the `retry-after` it gave. */
export function retriesSecondaryRateLimit(params: { retryAfterSeconds: number; retryCount: number }): boolean {
  return params.retryCount < SECONDARY_RATE_LIMIT_RETRIES && params.retryAfterSeconds <= SECONDARY_RATE_LIMIT_MAX_WAIT_SECONDS;
}

interface ThrottledRequest {
  method: string;
  url: string;
}

/** What Probot puts in `throttle`: its handlers, the installation as `id`, and Redis when several processes share the limits. */
interface ThrottleOptions {
  enabled?: boolean;
  id?: string;
  Bottleneck?: typeof Bottleneck;
  connection?: Bottleneck.IORedisConnection | Bottleneck.RedisConnection;
}

type Client = InstanceType<typeof ProbotOctokit>;

/**
 * Paces content-creating requests per installation (see github-lanes.ts). Outermost of the
 * client's layers, so a request retried by Octokit's retry plugin is paced once. A job's check
 * that it still holds its pull request is not here but at `fetch` (guardedFetch), inside every
 * layer, since a write may still wait in the throttling plugin after its slot here.
 */
function contentPacing(octokit: Pick<Client, "hook">, options: Record<string, unknown>): void {
  const throttle = (options.throttle ?? {}) as ThrottleOptions;
  if (throttle.enabled === false) return;
  const lanes = lanesFor(throttle);
  const id = throttle.id ?? "app";
  const [hourly, content] = [lanes.hourly.key(id), lanes.content.key(id)];
  // The hourly budget first (it limits no concurrency, so it holds nothing while a write waits),
  // then the content lane, whose one slot a write holds only while it is sent: its expiration
  // frees the slot of a process that died mid-write.
  octokit.hook.wrap("request", (request, requestOptions) => {
    if (!createsContent(requestOptions)) return request(requestOptions);
    const priority = writePriority(requestOptions);
    return hourly.schedule({ priority }, () => content.schedule({ priority, expiration: WRITE_EXPIRATION_MS }, async () => request(requestOptions)));
  });
}

/**
 * Probot's Octokit for `npm start`, with three changes to how it meets GitHub's limits:
 *
 * - Secondary rate limits are retried. Probot's server hands the throttling plugin a handler
 *   that logs and never retries, so one 403 "secondary rate limit" would end the evaluation as
 *   "could not evaluate", where GitHub asks clients to wait `retry-after` seconds and try again.
 * - GraphQL queries are not spaced like writes. The plugin starts one POST a second, GraphQL
 *   queries included, which turned a cold evaluation's 20 blob queries into 20 seconds; GitHub
 *   charges a query as a read. Its `write` lane is replaced with an unpaced one (the plugin
 *   takes its lanes from these options; a test pins that), and contentPacing paces what
 *   really creates content.
 * - An installation may have 25 requests in flight rather than 10 (CONCURRENT_REQUESTS).
 */
export const MeshgateOctokit = ProbotOctokit.plugin(contentPacing).defaults((options: { throttle?: ThrottleOptions }) => {
  const lanes = lanesFor(options.throttle ?? {});
  return {
    ...options,
    throttle: {
      ...options.throttle,
      global: lanes.global,
      write: lanes.write,
      onSecondaryRateLimit: (retryAfterSeconds: number, request: ThrottledRequest, octokit: Client, retryCount: number): boolean => {
        const retry = retriesSecondaryRateLimit({ retryAfterSeconds, retryCount });
        octokit.log.warn(`GitHub's secondary rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfterSeconds} s` : "not retried"}`);
        return retry;
      },
    },
  };
});
