import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { CONCURRENT_REQUESTS, CONTENT_BUDGET, CONTENT_BURST, CONTENT_REFILL_MS, lanesFor, WRITE_PRIORITY, writePriority } from "../../src/github/github-lanes.js";
import { installationClient } from "../../src/github/installation-client.js";
import { MeshgateOctokit } from "../../src/github/meshgate-octokit.js";

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const API = "https://api.github.com";
const SHA = "a".repeat(40);

function client(installation: string): InstanceType<typeof MeshgateOctokit> {
  return new MeshgateOctokit({ auth: "test-token", retry: { enabled: false }, log: quiet, throttle: { id: installation } });
}

describe("the write budget", () => {
  it("keeps within GitHub's secondary limits: the burst plus a minute's refill is under 80 a minute", () => {
    expect(CONTENT_BURST + 60_000 / CONTENT_REFILL_MS).toBeLessThanOrEqual(CONTENT_BUDGET.perMinute);
    expect(CONTENT_BUDGET.perHour).toBe(500);
  });

  it.each([
    ["PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", WRITE_PRIORITY.completeCheck],
    ["PATCH", "/api/v3/repos/acme/shop/check-runs/12", WRITE_PRIORITY.completeCheck],
    ["POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", WRITE_PRIORITY.comment],
    ["PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", WRITE_PRIORITY.comment],
    ["POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", WRITE_PRIORITY.other],
    ["POST", "/repos/{owner}/{repo}/check-runs", WRITE_PRIORITY.createCheck],
    ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}", WRITE_PRIORITY.read],
  ] as const)("%s %s goes at priority %i", (method, url, priority) => {
    expect(writePriority({ method, url })).toBe(priority);
  });

  it("when writes wait, a check completion goes before a comment, which goes before a check creation", async () => {
    const arrivals: string[] = [];
    const scope = nock(API)
      .post("/repos/acme/shop/check-runs")
      .times(CONTENT_BURST + 1)
      .reply(201, (_, body) => {
        arrivals.push(`create ${(body as { name: string }).name}`);
        return { id: 1 };
      })
      .patch("/repos/acme/shop/issues/comments/5")
      .reply(200, () => {
        arrivals.push("comment");
        return { id: 5 };
      })
      .patch("/repos/acme/shop/check-runs/1")
      .reply(200, () => {
        arrivals.push("complete");
        return { id: 1 };
      });
    const octokit = client("priorities");
    const repo = { owner: "acme", repo: "shop" };
    // The burst spends the bucket; the three writes after it wait for refills, in the order asked for below.
    await Promise.all(Array.from({ length: CONTENT_BURST }, () => octokit.rest.checks.create({ ...repo, name: "burst", head_sha: SHA })));
    await Promise.all([
      octokit.rest.checks.create({ ...repo, name: "late", head_sha: SHA }),
      octokit.rest.issues.updateComment({ ...repo, comment_id: 5, body: "report" }),
      octokit.rest.checks.update({ ...repo, check_run_id: 1, status: "completed", conclusion: "success" }),
    ]);
    expect(arrivals.slice(CONTENT_BURST)).toEqual(["complete", "comment", "create late"]);
    scope.done();
  });

  it(`no write waits behind reads: with ${CONCURRENT_REQUESTS} reads in flight and more queued, a write is next`, async () => {
    const arrivals: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reads = CONCURRENT_REQUESTS + 10;
    const scope = nock(API)
      .get(/^\/repos\/acme\/shop\/git\/blobs\/\d+$/)
      .times(reads)
      .reply(async (uri) => {
        arrivals.push(`read ${uri.split("/").at(-1) ?? ""}`);
        await held;
        return [200, { content: "", encoding: "base64" }];
      })
      .post("/repos/acme/shop/check-runs")
      .reply(201, () => {
        arrivals.push("write");
        return { id: 1 };
      });
    const octokit = client("reads-then-write");
    const all = Array.from({ length: reads }, (_, i) => octokit.rest.git.getBlob({ owner: "acme", repo: "shop", file_sha: String(i) }));
    const write = octokit.rest.checks.create({ owner: "acme", repo: "shop", name: "meshgate", head_sha: SHA });
    // Once the first reads are in flight and the rest and the write queued, slots free: the write takes the first, not the 26th read.
    const lane = lanesFor({}).global.key("reads-then-write");
    for (let i = 0; i < 1000 && (arrivals.length < CONCURRENT_REQUESTS || lane.counts().QUEUED < reads - CONCURRENT_REQUESTS + 1); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await Promise.all([...all, write]);
    expect(arrivals.indexOf("write")).toBe(CONCURRENT_REQUESTS);
    scope.done();
  });
});

describe("per-installation lanes", () => {
  it("each installation's client has its own content lane: one installation's spent budget does not hold another's write", async () => {
    const probot = new Probot({ appId: 1, privateKey, logLevel: "fatal", Octokit: MeshgateOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })) });
    const arrivals: string[] = [];
    const scope = nock(API)
      .post(/^\/app\/installations\/(71|72)\/access_tokens$/)
      .times(2)
      .reply(201, { token: "ghs_x", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" })
      .post(/^\/repos\/(busy|quiet)\/r\/check-runs$/)
      .times(CONTENT_BURST + 2)
      .reply(201, (uri) => {
        arrivals.push(uri.split("/")[2] ?? "");
        return { id: 1 };
      });
    const [busy, quietOne] = await Promise.all([installationClient({ probot, installationId: 71 }), installationClient({ probot, installationId: 72 })]);
    const spent = Array.from({ length: CONTENT_BURST + 1 }, () => busy.rest.checks.create({ owner: "busy", repo: "r", name: "meshgate", head_sha: SHA }));
    // The busy installation's 11th write waits a refill; the other installation's goes at once.
    for (let i = 0; i < 500 && arrivals.length < CONTENT_BURST; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await quietOne.rest.checks.create({ owner: "quiet", repo: "r", name: "meshgate", head_sha: SHA });
    await Promise.all(spent);
    expect(arrivals.indexOf("quiet")).toBe(CONTENT_BURST);
    expect(arrivals.filter((a) => a === "busy")).toHaveLength(CONTENT_BURST + 1);
    scope.done();
  });
});
