import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createShopRepository, responseValidator, startGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions, type ScratchRepository } from "../../tools/github-stand-in/index.js";

/**
 * test/setup.ts makes nock refuse, and report, every request no mock answers. The stand-in is a
 * real server on 127.0.0.1, so a file that talks to it turns nock's interception off for its
 * tests and back on afterwards (nothing here can reach another host: every URL is the stand-in's).
 */
export function withLocalServers(): void {
  beforeAll(() => {
    if (nock.isActive()) nock.restore();
  });
  afterAll(() => {
    if (!nock.isActive()) nock.activate();
  });
}

export type TestOctokit = InstanceType<typeof ProbotOctokit>;

/** An Octokit on the stand-in with an installation token it issued; retry and throttling off unless asked. */
export function octokitFor(standIn: GitHubStandIn, options: { retry?: object; throttle?: object } = {}): TestOctokit {
  return new ProbotOctokit({
    auth: { token: standIn.issueToken() },
    baseUrl: standIn.url,
    retry: options.retry ?? { enabled: false },
    throttle: options.throttle ?? { enabled: false },
  });
}

export interface ShopFixture {
  repository: ScratchRepository;
  standIn: GitHubStandIn;
  octokit: TestOctokit;
  /** Pull request #7: pr (examples/shop-pr) into main (examples/shop), by alex. */
  pull: number;
}

/**
 * The example shop as a pull request on a stand-in, created once for the file (the repository)
 * and once per test (the stand-in, so calls and state start empty).
 */
export function shopFixture(options: Omit<GitHubStandInOptions, "repository"> = {}): ShopFixture {
  const fixture = {} as ShopFixture;
  withLocalServers();
  beforeAll(async () => {
    fixture.repository = await createShopRepository();
  });
  afterAll(async () => {
    await fixture.repository.remove();
  });
  beforeEach(async () => {
    fixture.standIn = await startGitHubStandIn({ ...options, repository: fixture.repository.dir });
    fixture.standIn.addPullRequest({ number: 7, base: "main", head: "pr", author: "alex", title: "Canary the storefront at 50%, let checkout read the catalog" });
    fixture.octokit = octokitFor(fixture.standIn);
    fixture.pull = 7;
  });
  afterEach(async () => {
    const { errors } = fixture.standIn;
    await fixture.standIn.close();
    if (errors.length > 0) throw new Error(`the stand-in failed:\n${errors.map((e) => e.stack ?? e.message).join("\n")}`);
  });
  return fixture;
}

/** The problems GitHub's REST description finds in a response body (its schema for the operation and status); [] when it conforms. */
export function shapeProblems(route: string, status: number, body: unknown): string[] {
  const [method = "", template = ""] = route.split(" ");
  const validate = responseValidator(method, template, status);
  if (!validate) return [`GitHub's REST description has no JSON response for ${route} ${status}`];
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`);
}
