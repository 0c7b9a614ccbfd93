import { ProbotOctokit } from "probot";

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

/**
 * Probot's Octokit for `npm start`, retrying secondary rate limits. Probot's server hands the
 * throttling plugin a secondary-rate-limit handler that logs and never retries, so one 403
 * "secondary rate limit" would end the evaluation as "could not evaluate", where GitHub asks
 * clients to wait `retry-after` seconds and try again (DESIGN §7: API errors are retried).
 */
export const MeshgateOctokit = ProbotOctokit.defaults((options: { throttle?: object }) => ({
  ...options,
  throttle: {
    ...options.throttle,
    onSecondaryRateLimit: (retryAfterSeconds: number, request: ThrottledRequest, octokit: InstanceType<typeof ProbotOctokit>, retryCount: number): boolean => {
      const retry = retriesSecondaryRateLimit({ retryAfterSeconds, retryCount });
      octokit.log.warn(`GitHub's secondary rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfterSeconds} s` : "not retried"}`);
      return retry;
    },
  },
}));
