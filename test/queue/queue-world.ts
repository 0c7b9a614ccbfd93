import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { startApp, type StartedApp } from "../../src/github/app.js";
import { EmbeddedQueue } from "../../src/github/embedded-queue.js";
import { jobRunner } from "../../src/github/run-job.js";
import { COMMENT_MARKER } from "../../src/report/comment.js";
import { createShopRepository, startGitHubStandIn, type GitHubStandIn, type ScratchRepository, type StoredComment } from "../../tools/github-stand-in/index.js";
import { SHOP_PEOPLE, setUpShopPeople } from "../../tools/shop-scenario.js";

const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;

/** Pull request #7 of the example shop: branch `pr` into `main`, by alex. */
export const PULL = 7;

export interface QueueWorld {
  repository: ScratchRepository;
  standIn: GitHubStandIn;
  probot: Probot;
  queue: EmbeddedQueue;
  app: StartedApp;
  /** Starts running the jobs queued so far (the queue starts paused, so a test can queue events first). */
  work(): void;
  /** Delivers an event as Probot's server would after verifying it. */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
  /** The head commit of a branch now. */
  sha(branch: string): Promise<string>;
  reports(): StoredComment[];
  close(): Promise<void>;
}

let deliveries = 0;

/**
 * The example shop on the GitHub stand-in, with the app in this process: a real Probot on the
 * stand-in's URL, the embedded queue, retry and throttling off (a test of the lanes makes its
 * own clients). The queue is paused until work().
 */
export async function queueWorld(options: { moreInstallations?: number[] } = {}): Promise<QueueWorld> {
  const repository = await createShopRepository();
  const standIn = await startGitHubStandIn({ repository: repository.dir, ...(options.moreInstallations ? { moreInstallations: options.moreInstallations } : {}) });
  standIn.addPullRequest({ number: PULL, base: "main", head: "pr", author: SHOP_PEOPLE.author });
  setUpShopPeople(standIn);
  const probot = new Probot({
    appId: standIn.appId,
    privateKey,
    secret: "test-secret",
    logLevel: "fatal",
    baseUrl: standIn.url,
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object | undefined), enabled: false } })),
  });
  const queue = new EmbeddedQueue();
  const app = startApp(probot, { queue, work: false });
  return {
    repository,
    standIn,
    probot,
    queue,
    app,
    work: () => {
      queue.work(jobRunner(app.worker));
    },
    receive: async (name, payload, id) => {
      await probot.receive({ id: id ?? `delivery-${++deliveries}`, name, payload } as Parameters<Probot["receive"]>[0]);
    },
    sha: async (branch) => {
      const sha = await standIn.git.resolveCommit(branch);
      if (!sha) throw new Error(`no branch ${branch}`);
      return sha;
    },
    reports: () => standIn.comments.filter((c) => c.user === standIn.botLogin && c.body.startsWith(COMMENT_MARKER)),
    close: async () => {
      await standIn.close();
      await repository.remove();
    },
  };
}
