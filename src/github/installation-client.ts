import type Bottleneck from "bottleneck";
import type { Probot } from "probot";
import { guardedFetch } from "./guarded-fetch.js";
import type { GitHubClient } from "./target.js";

/** Redis for the throttling lanes, when several processes share an installation's limits. */
export interface SharedLanes {
  Bottleneck: typeof Bottleneck;
  connection: Bottleneck.IORedisConnection;
}

/**
 * A client of one installation for a job, made as Probot makes a webhook's, with one
 * difference: Octokit's throttling is on with the installation as its `throttle.id`, so each
 * installation has its own lanes (and, with `shared`, the same lanes in every process). Probot's
 * own factory turns throttling off unless its options say `enabled: true`, which its server's
 * never do, and then every client would share the process's single lane.
 *
 * With `mayWrite` (a job that can lose its pull request to another worker), every
 * content-creating request asks it right before it is sent, and is withheld when it answers
 * false (see guardedFetch).
 */
export async function installationClient(params: { probot: Probot; installationId: number; shared?: SharedLanes; mayWrite?: () => Promise<boolean> }): Promise<GitHubClient> {
  const { probot, installationId, shared, mayWrite } = params;
  const app = await probot.auth();
  return (await app.auth({
    type: "installation",
    installationId,
    factory: ({ octokit, octokitOptions, ...otherOptions }: { octokit: GitHubClient; octokitOptions: Record<string, unknown> & { throttle?: Record<string, unknown>; auth?: Record<string, unknown>; request?: { fetch?: typeof globalThis.fetch } } }) => {
      const throttle = octokitOptions.throttle;
      const Octokit = octokit.constructor as new (options: Record<string, unknown>) => GitHubClient;
      const fetch = octokitOptions.request?.fetch;
      return new Octokit({
        ...octokitOptions,
        ...(mayWrite ? { request: { ...octokitOptions.request, fetch: guardedFetch({ mayWrite, ...(fetch ? { fetch } : {}) }) } } : {}),
        log: probot.log.child({ name: "github" }),
        throttle: throttle?.enabled === false ? { enabled: false } : { ...throttle, ...shared, enabled: true, id: String(installationId) },
        auth: { ...octokitOptions.auth, otherOptions, installationId },
      });
    },
  })) as GitHubClient;
}
