import { describe, expect, it } from "vitest";
import { FairLane } from "../../src/github/fair-lane.js";
import type { PullRequestJob } from "../../src/github/jobs.js";

function job(installationId: number, number: number, head = `head-${number}`): PullRequestJob {
  return { kind: "pull-request", installationId, repo: { owner: `org-${installationId}`, repo: "r" }, deliveries: [`d-${installationId}-${number}-${head}`], number, heads: [head], superseded: [] };
}

/** A lane whose runner records the order jobs start in and finishes each at once. */
function recordingLane(concurrency: number): { lane: FairLane; started: string[] } {
  const lane = new FairLane({ concurrency });
  const started: string[] = [];
  lane.work((j) => {
    started.push(`${j.installationId}#${j.kind === "pull-request" ? j.number : 0}`);
    return Promise.resolve();
  });
  return { lane, started };
}

describe("FairLane", () => {
  it("serves installations in turn: one with 30 jobs queued first waits behind itself, not in front of the others", async () => {
    const lane = new FairLane({ concurrency: 1 });
    const started: string[] = [];
    // Paused while the jobs are queued, as when every worker is busy.
    for (let n = 1; n <= 30; n++) lane.enqueue(job(1, n));
    lane.enqueue(job(2, 1));
    lane.enqueue(job(3, 1));
    lane.enqueue(job(2, 2));
    lane.work((j) => {
      started.push(`${j.installationId}#${j.kind === "pull-request" ? j.number : 0}`);
      return Promise.resolve();
    });
    await lane.idle();
    expect(started.slice(0, 6)).toEqual(["1#1", "2#1", "3#1", "1#2", "2#2", "1#3"]);
    expect(started).toHaveLength(33);
  });

  it("absorbs a job of a queued key; runs one job per key at a time, and the next one after it", async () => {
    const lane = new FairLane({ concurrency: 4 });
    const running = new Set<string>();
    let overlapped = false;
    const ran: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    lane.work(async (j) => {
      const key = `${j.installationId}#${j.kind === "pull-request" ? j.number : 0}`;
      if (running.has(key)) overlapped = true;
      running.add(key);
      ran.push(j.kind === "pull-request" ? j.heads : []);
      await gate;
      running.delete(key);
    });
    expect(lane.enqueue(job(1, 1, "a"))).toBe("queued");
    // Not started in the enqueuing turn: a second job of the key would join it.
    expect(lane.size).toEqual({ queued: 1, running: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    // Running now; these queue behind it, and coalesce.
    expect(lane.enqueue(job(1, 1, "b"))).toBe("queued");
    expect(lane.enqueue(job(1, 1, "c"))).toBe("coalesced");
    expect(lane.size).toEqual({ queued: 1, running: 1 });
    release();
    await lane.idle();
    expect(overlapped).toBe(false);
    expect(ran).toEqual([["a"], ["b", "c"]]);
  });

  it("runs up to its concurrency at once", async () => {
    const { lane, started } = recordingLane(3);
    for (let n = 1; n <= 5; n++) lane.enqueue(job(n, n));
    await lane.idle();
    expect(started.sort()).toEqual(["1#1", "2#2", "3#3", "4#4", "5#5"]);
  });
});
