import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../src/cli/read-catalog.js";
import { readDirectorySnapshot } from "../../src/cli/read-snapshot.js";
import type { EvaluationInputs } from "../../src/core/evaluate.js";
import { inProcessJudge, type Judge } from "../../src/github/judge.js";
import { ensureBuilt } from "../../tools/app-harness.js";

// The server's judge (npm start, npm run worker) renders in threads that load the compiled
// module: it is built, and imported from dist/, as the server imports it.
type ThreadJudgeModule = typeof import("../../src/github/thread-judge.js");

const EXAMPLES = join(import.meta.dirname, "../../examples");

/** The bundled example's pull request (checkout's mTLS made PERMISSIVE), as the app gathers it. */
async function exampleInputs(): Promise<EvaluationInputs> {
  const [base, head] = await Promise.all([readDirectorySnapshot(join(EXAMPLES, "shop"), () => true), readDirectorySnapshot(join(EXAMPLES, "shop-pr"), () => true)]);
  const changedFiles = [...head.snapshot.files.keys()].filter((path) => base.snapshot.files.get(path) !== head.snapshot.files.get(path));
  return {
    base: base.snapshot,
    head: head.snapshot,
    policy: { ...(base.snapshot.files.has(".github/meshgate.yml") ? { config: base.snapshot.files.get(".github/meshgate.yml") } : {}), files: new Map([...base.snapshot.files].filter(([path]) => path.endsWith("CODEOWNERS"))) },
    changedFiles,
    catalog: readCatalog(),
    now: "2026-12-01T00:00:00Z",
    rulesOnly: true,
  };
}

let threads: Judge;
let oneThread: Judge;

beforeAll(async () => {
  await ensureBuilt();
  const { threadJudge } = (await import(pathToFileURL(join(import.meta.dirname, "../../dist/github/thread-judge.js")).href)) as ThreadJudgeModule;
  threads = threadJudge();
  oneThread = threadJudge({ threads: 1 });
}, 240_000);

afterAll(async () => {
  await Promise.all([threads.close(), oneThread.close()]);
});

describe("the server's judge, in threads", () => {
  it("judges, renders and diffs as the in-process judge does", async () => {
    const inputs = await exampleInputs();
    const here = inProcessJudge();
    const judged = await threads.judge(inputs);
    expect(judged).toEqual(await here.judge(inputs));
    // The example's pull request weakens checkout's mTLS: a verdict that could have passed.
    expect(judged.output.conclusion).toBe("failure");
    expect(judged.comment).toContain("PERMISSIVE");
    expect(await threads.render({ inputs, diff: false })).toEqual(await here.render({ inputs, diff: false }));
    const diff = await threads.render({ inputs, diff: true });
    expect(diff).toEqual(await here.render({ inputs, diff: true }));
    expect("changes" in diff && diff.changes.changes.length).toBeGreaterThan(0);
  });

  it("a command's render goes before the evaluations waiting for a thread", async () => {
    const inputs = await exampleInputs();
    const finished: string[] = [];
    const evaluations = Array.from({ length: 4 }, (_, i) => oneThread.judge(inputs).then(() => finished.push(`evaluation ${i}`)));
    const render = oneThread.render({ inputs, diff: false }).then(() => finished.push("render"));
    await Promise.all([...evaluations, render]);
    // The one thread was busy with the first evaluation at most: the render came next, before the three queued.
    expect(finished.indexOf("render")).toBeLessThanOrEqual(1);
    expect(finished).toHaveLength(5);
  });

  it("an evaluation that throws in its thread is a rejection the check reports, and the thread serves the next", async () => {
    const inputs = await exampleInputs();
    // Not a snapshot: what no gatherer makes, so the core throws.
    const broken = { ...inputs, head: { files: "not a map" } } as unknown as EvaluationInputs;
    await expect(oneThread.judge(broken)).rejects.toThrow();
    expect((await oneThread.judge(inputs)).output.conclusion).toBe("failure");
  });
});
