import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { readCatalog } from "../../src/cli/read-catalog.js";
import app from "../../src/github/app.js";
import { BlobCache } from "../../src/github/blob-cache.js";
import { EmbeddedQueue } from "../../src/github/embedded-queue.js";
import { COMMENT_MARKER } from "../../src/report/comment.js";
import { payload, testProbot, type EventPayload } from "../support/github.js";
import { example, FakeRepository, pullCommit, review, sha1 } from "./gather-fake-github.js";

// The shop of examples/shop on a fake GitHub, as the GitHub App sees it: a real Probot, real
// webhook payloads from @octokit/webhooks-examples adapted to the scenario, and every call the
// app makes answered by nock (an unexpected or a missing call fails the test).

export const OWNER = "acme";
export const NAME = "shop";
export const INSTALLATION = 4242;
export const CHECK_RUN_ID = 9001;
export const PR = 2;
export const REPO_PATH = `/repos/${OWNER}/${NAME}`;
/** The X-GitHub-Delivery of every event a test sends. */
export const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
/** The tip of main: FakeRepository names a commit sha1("commit <label>"). */
export const BASE = sha1("commit main");

/** Simpler than the example's policy: code owners are people, so no team lookups. */
export const CONFIG = `defaultNamespace: shop
mesh:
  mtls: PERMISSIVE
  gateways:
    - { name: istio-ingress/partner-gw, hosts: ["partners.shop.example.com"] }
rules:
  failOn: high
approvals:
  codeOwners: true
  dismissStale: true
  minimum: 0
`;
export const CODEOWNERS = `/apps/   @maria
/mesh/   @maria
`;

const STOREFRONT = example("apps/storefront.yaml");
/** A security downgrade: MTLS-002 fires, new and blocking, at the trait's line. */
export const STOREFRONT_PERMISSIVE = STOREFRONT.replace("properties: { mode: STRICT }", "properties: { mode: PERMISSIVE }");
/** A clean change: a canary step. */
export const STOREFRONT_CANARY_20 = STOREFRONT.replace("weight: 90 }", "weight: 80 }").replace("weight: 10 }", "weight: 20 }");

export function baseFiles(): Record<string, string> {
  return {
    "README.md": "# shop\n",
    ".github/meshgate.yml": CONFIG,
    ".github/CODEOWNERS": CODEOWNERS,
    "apps/catalog.yaml": example("apps/catalog.yaml"),
    "apps/checkout.yaml": example("apps/checkout.yaml"),
    "apps/storefront.yaml": STOREFRONT,
    "mesh/mesh-defaults.yaml": example("mesh/mesh-defaults.yaml"),
  };
}

const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export interface CallLog {
  /** `depth METHOD route`, in the order the calls started. */
  calls(): string[];
  depth(): number;
  /** Forgets the calls so far, to measure the next event alone. */
  reset(): void;
}

/**
 * A Probot whose Octokit keeps its retry plugin on (with a 1 ms backoff, so a test does not
 * wait seconds) and records every request with its sequential depth: one more than the deepest
 * request that had answered when it started.
 */
export function retryingProbot(): { probot: Probot; log: CallLog } {
  const calls: { route: string; depth: number }[] = [];
  let answered = 0;
  const recording = (octokit: { hook: InstanceType<typeof ProbotOctokit>["hook"] }): void => {
    octokit.hook.wrap("request", async (request, options) => {
      const depth = answered + 1;
      const url = options.url.replace(/\{(\w+)\}/g, (_, key: string) => {
        const value = options[key];
        return typeof value === "string" || typeof value === "number" ? encodeURIComponent(value) : `{${key}}`;
      });
      calls.push({ route: `${options.method} ${url.split("?")[0] ?? url}`, depth });
      try {
        return await request(options);
      } finally {
        answered = Math.max(answered, depth);
      }
    });
  };
  const probot = new Probot({
    appId: 1,
    privateKey,
    logLevel: "fatal",
    Octokit: ProbotOctokit.plugin(recording).defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { retryAfterBaseValue: 1 },
      throttle: { ...(options.throttle as object | undefined), enabled: false },
    })),
  });
  const log: CallLog = {
    calls: () => calls.map((c) => `${c.depth} ${c.route.replace("https://api.github.com", "")}`),
    depth: () => Math.max(0, ...calls.map((c) => c.depth)),
    reset() {
      calls.length = 0;
      answered = 0;
    },
  };
  return { probot, log };
}

export class ShopWorld {
  readonly repo = new FakeRepository(OWNER, NAME);
  readonly cache = new BlobCache();
  readonly base = this.repo.commit("main", baseFiles());
  readonly probot: Probot;
  /** The app's queue: receive() waits for it to run dry, so a test sees what the jobs wrote. */
  readonly queue = new EmbeddedQueue();
  #tokenMocked = false;

  constructor(probot: Probot = testProbot()) {
    this.probot = probot;
    app(probot, { state: { cache: this.cache, catalog }, queue: this.queue });
  }

  /** The installation token the event's Octokit asks for before its first call, once per Probot (it caches it). */
  mockToken(): void {
    if (this.#tokenMocked) return;
    this.#tokenMocked = true;
    this.repo.scope.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, {
      token: "ghs_test",
      expires_at: "2099-01-01T00:00:00Z",
      permissions: { checks: "write", pull_requests: "write", issues: "write", contents: "read", members: "read", metadata: "read" },
      repository_selection: "all",
    });
  }

  commit(label: string, changes: Record<string, string>): string {
    return this.repo.commit(label, { ...baseFiles(), ...changes });
  }

  /** What gathering the inputs asks: compare, both trees, the policy, the blobs not cached; for a pull request its reviews and commits. */
  mockGather(params: { head: string; blobQueries?: number; pullRequest?: { reviews?: unknown[]; approvers?: Record<string, string> } }): void {
    const { head, pullRequest } = params;
    this.mockToken();
    this.repo.mockCompare(this.base, head, this.base);
    this.repo.mockPolicy();
    this.repo.mockTree(head);
    this.repo.mockTree(this.base);
    this.repo.mockBlobQueries(params.blobQueries ?? 1);
    if (!pullRequest) return;
    this.repo.mockList(`${REPO_PATH}/pulls/${PR}/reviews`, pullRequest.reviews ?? []);
    this.repo.mockList(`${REPO_PATH}/pulls/${PR}/commits`, [pullCommit(head, 1, "dora", "web-flow")]);
    for (const [login, permission] of Object.entries(pullRequest.approvers ?? {})) this.repo.mockPermission(login, { permission, role_name: permission });
  }

  /** The check run: created, then completed (one PATCH per 50 annotations). */
  mockCheck(patches = 1): void {
    this.mockToken();
    this.repo.scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: CHECK_RUN_ID });
    this.repo.scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`).times(patches).reply(200, { id: CHECK_RUN_ID });
  }

  /** The PR comment: listed, then created, or updated when meshgate's exists; `listOnly`: nothing to say, nothing written. */
  mockComment(existing?: { id: number; body: string }, options: { listOnly?: boolean } = {}): void {
    this.mockToken();
    const comments = existing ? [{ id: existing.id, body: existing.body, user: { login: "meshgate[bot]", id: 7, type: "Bot" } }] : [];
    this.repo.scope.get(`${REPO_PATH}/issues/${PR}/comments`).query({ per_page: "100" }).reply(200, comments);
    if (options.listOnly === true) return;
    if (existing) this.repo.scope.patch(`${REPO_PATH}/issues/comments/${existing.id}`).reply(200, { id: existing.id });
    else this.repo.scope.post(`${REPO_PATH}/issues/${PR}/comments`).reply(201, { id: 501 });
  }

  /** GET /pulls/{n}: for events that do not carry the whole pull request. */
  mockPullRequest(head: string): void {
    this.mockToken();
    this.repo.scope.get(`${REPO_PATH}/pulls/${PR}`).reply(200, pullRequestPayload("opened", { head }).pull_request);
  }

  /** The bodies sent to one method and path, in order. */
  sent(method: string, path: string): unknown[] {
    return this.repo.mock.requests.filter((r) => r.method === method && r.path.split("?")[0] === path).map((r) => r.body);
  }

  /** Every request, `METHOD path` (query left out), in order. */
  routes(): string[] {
    return this.repo.mock.requests.map((r) => `${r.method} ${r.path.split("?")[0] ?? r.path}`);
  }

  #received = 0;

  /** Delivers an event. Each delivery has its own id, as GitHub gives them (the first's is DELIVERY), unless `id` is given. */
  async receive(name: string, body: unknown, options: { id?: string } = {}): Promise<void> {
    this.#received++;
    const id = options.id ?? (this.#received === 1 ? DELIVERY : `${DELIVERY}-${this.#received}`);
    await this.probot.receive({ id, name, payload: body } as Parameters<Probot["receive"]>[0]);
    await this.queue.idle();
  }
}

const catalog = readCatalog();

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- webhook payload fixtures: real examples, adapted field by field */

/** The example's repository, renamed to acme/shop and installed. */
function inShop(p: object): any {
  const event: any = p;
  event.repository.name = NAME;
  event.repository.full_name = `${OWNER}/${NAME}`;
  event.repository.owner.login = OWNER;
  event.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  return event;
}

/** A real `pull_request` example for `action`: PR #2 by @dora, `head` against main. */
export function pullRequestPayload(action: string, params: { head: string; base?: string; fork?: boolean }): EventPayload<"pull_request"> {
  const event = inShop(payload("pull_request", (p) => p.action === action));
  const pr = event.pull_request;
  event.number = PR;
  pr.number = PR;
  pr.user.login = "dora";
  pr.commits = 1;
  pr.head.sha = params.head;
  pr.base.sha = params.base ?? BASE;
  pr.base.repo = event.repository;
  pr.head.repo = params.fork
    ? { ...event.repository, id: 777, name: NAME, full_name: `dora/${NAME}`, fork: true, owner: { ...event.repository.owner, login: "dora", id: 778 } }
    : event.repository;
  return event;
}

export function reviewPayload(action: string, params: { head: string; reviewer: string; state: string }): EventPayload<"pull_request_review"> {
  const event = inShop(payload("pull_request_review", (p) => p.action === action));
  event.pull_request.number = PR;
  event.pull_request.user.login = "dora";
  event.pull_request.head.sha = params.head;
  event.pull_request.base.sha = BASE;
  event.review.user.login = params.reviewer;
  event.review.state = params.state;
  event.review.commit_id = params.head;
  return event;
}

/** A comment on PR #2 (the examples' comments are on plain issues: `issue.pull_request` makes it a PR's). */
export function commentPayload(body: string, sender: { login: string; type: "User" | "Bot" } = { login: "maria", type: "User" }): EventPayload<"issue_comment"> {
  const event = inShop(payload("issue_comment", (p) => p.action === "created"));
  event.issue.number = PR;
  event.issue.pull_request = { url: `https://api.github.com${REPO_PATH}/pulls/${PR}`, html_url: `https://github.com/${OWNER}/${NAME}/pull/${PR}`, diff_url: "", patch_url: "", merged_at: null };
  event.comment.id = 3001;
  event.comment.body = body;
  event.comment.user.login = sender.login;
  event.comment.user.type = sender.type;
  event.sender.login = sender.login;
  event.sender.type = sender.type;
  return event;
}

/** A merge queue's group: `head` (the group's merge commit) against main's tip. */
export function mergeGroupPayload(head: string): EventPayload<"merge_group"> {
  const event = inShop(payload("merge_group", (p) => p.action === "checks_requested"));
  event.merge_group.head_sha = head;
  event.merge_group.base_sha = BASE;
  event.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-${PR}-${BASE}`;
  return event;
}

/** "Re-run all checks" on the suite of `head`, which PR #2 lists (a same-repository branch). */
export function checkSuitePayload(head: string): EventPayload<"check_suite"> {
  const event = inShop(payload("check_suite", (p) => p.action === "rerequested"));
  event.check_suite.head_sha = head;
  event.check_suite.after = head;
  event.check_suite.app.id = 1;
  const [pr] = event.check_suite.pull_requests;
  pr.number = PR;
  pr.head.sha = head;
  pr.base.sha = BASE;
  event.check_suite.pull_requests = [pr];
  return event;
}

/** "Re-run" on a check run of `head` (`name`, made by app `appId`); GitHub lists no pull request for a fork's head. */
export function checkRunPayload(head: string, params: { name?: string; appId?: number } = {}): EventPayload<"check_run"> {
  const event = inShop(payload("check_run", (p) => p.action === "rerequested"));
  event.check_run.name = params.name ?? "meshgate";
  event.check_run.app.id = params.appId ?? 1;
  event.check_run.head_sha = head;
  event.check_run.check_suite.head_sha = head;
  event.check_run.pull_requests = [];
  return event;
}

export { COMMENT_MARKER, review, sha1 };
