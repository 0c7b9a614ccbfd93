import { beforeAll } from "vitest";
import { COMMENT_MARKER } from "../../src/report/comment.js";
import { AppHarness, ensureBuilt } from "../../tools/app-harness.js";
import { createShopRepository, startGitHubStandIn, type GitHubStandIn, type ScratchRepository, type StoredComment } from "../../tools/github-stand-in/index.js";
import { SHOP_PEOPLE, setUpShopPeople } from "../../tools/shop-scenario.js";
import { withLocalServers } from "../stand-in/support.js";

/** A test's bound: the slowest (a permanent failure) waits out Octokit's retries of a request, 1 + 4 + 9 s. */
export const E2E_TIMEOUT_MS = 45_000;
const BUILD_TIMEOUT_MS = 180_000;

/**
 * At the top of an end-to-end test file: nock's interception off for the file (every server is
 * on 127.0.0.1), and dist/ built when it is missing or older than src/.
 */
export function endToEndFile(): void {
  withLocalServers();
  beforeAll(async () => {
    await ensureBuilt();
  }, BUILD_TIMEOUT_MS);
}

function reports(standIn: GitHubStandIn): StoredComment[] {
  return standIn.comments.filter((c) => c.user === standIn.botLogin && c.body.startsWith(COMMENT_MARKER));
}

export interface Shop {
  repository: ScratchRepository;
  standIn: GitHubStandIn;
  app: AppHarness;
  /** Pull request #7 of the example: branch `pr` (examples/shop-pr) into `main` (examples/shop), by alex. */
  pull: number;
  /** The head commit of a branch, now. */
  sha(branch: string): Promise<string>;
  /** meshgate's PR comments (by its bot, starting with its hidden marker). */
  reports(): StoredComment[];
  /** Waits for meshgate's PR comment to show `title` (the comment follows the check it reports). */
  waitForReport(title: string | null): Promise<StoredComment>;
}

/**
 * Runs `test` on its own world: the example shop's repository, a stand-in serving it with the
 * example's people, and the real app server (dist/github/server.js) on it; all stopped and
 * removed afterwards, whatever happens. Tests share nothing, so they can run concurrently (the
 * app's wait for GitHub's write lane dominates their time). On a failure the app's log is printed.
 * `env`: further settings of the app (MESHGATE_DRAIN_MS…).
 */
export async function withShop(test: (shop: Shop) => Promise<void>, options: { env?: Record<string, string> } = {}): Promise<void> {
  const repository = await createShopRepository();
  let standIn: GitHubStandIn | undefined;
  let app: AppHarness | undefined;
  try {
    standIn = await startGitHubStandIn({ repository: repository.dir });
    standIn.addPullRequest({ number: 7, base: "main", head: "pr", author: SHOP_PEOPLE.author, title: "Canary the storefront at 50%, let checkout read the catalog" });
    setUpShopPeople(standIn);
    app = await AppHarness.start({ standIn, ...(options.env ? { env: options.env } : {}) });
    const world = { standIn, app };
    await test({
      repository,
      standIn,
      app,
      pull: 7,
      sha: async (branch) => {
        const sha = await world.standIn.git.resolveCommit(branch);
        if (!sha) throw new Error(`no branch ${branch}`);
        return sha;
      },
      reports: () => reports(world.standIn),
      waitForReport: (title) => world.app.waitForComment(`meshgate's comment showing "${title ?? ""}"`, (c) => reports(world.standIn).includes(c) && c.body.includes(`meshgate: ${title ?? ""}`)),
    });
    if (standIn.errors.length > 0) throw new Error(`the stand-in failed:\n${standIn.errors.map((e) => e.stack ?? e.message).join("\n")}`);
  } catch (error) {
    if (app && app.logs !== "") console.error(`the app's log:\n${app.logs}`);
    throw error;
  } finally {
    await app?.stop();
    await standIn?.close();
    await repository.remove();
  }
}
