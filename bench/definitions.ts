// Repository definitions at scale (issue item 6 of the definitions work): 1,000 Applications
// whose traits and component type are rendered by the repository's own CUE definitions (the
// shipped definitions/ copied in), 5% of them changed, against the same `yaml` floor as the
// core benchmark; cold (a fresh process) and warm (the same evaluation again in the process),
// and how many CUE evaluations each takes.
//   node --import tsx bench/definitions.ts [--size 1000]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readCatalog } from "../src/cli/read-catalog.js";
import { DefinitionEvaluations } from "../src/core/definitions/definition-evaluations.js";
import { evaluate } from "../src/core/evaluate.js";
import { RenderMemo } from "../src/core/render/render-memo.js";
import type { Snapshot } from "../src/core/types.js";
import type { CueEvaluator } from "../src/core/definitions/cue-evaluator.js";
import { startCueEvaluator } from "../src/cue/start-cue-evaluator.js";
import { syntheticRepository, yamlFloor } from "./core.js";
import { time } from "./measure.js";

export interface DefinitionsBenchFigures {
  bench: "definitions";
  applications: number;
  changed: number;
  /** Starting CUE (cue-wasm) in the process, once. */
  cueStartMs: number;
  /** One evaluation of one template alone (mesh-ingress), median of distinct inputs. */
  singleEvaluationMs: number;
  /** The cold run's CUE time per evaluation, batched one program per template and round. */
  batchedEvaluationMs: number;
  floorMs: number;
  /** A fresh memo and a fresh evaluation memo: everything rendered and evaluated. */
  coldMs: number;
  coldRatio: number;
  coldEvaluations: number;
  coldPrograms: number;
  /** The same pull request evaluated again in the process (a review, a re-run): nothing changed. */
  warmMs: number;
  warmRatio: number;
  warmEvaluations: number;
  /** A new pull request after the base was evaluated: only the changed Applications are evaluated. */
  nextPullRequestEvaluations: number;
}

const ROOT = join(import.meta.dirname, "..");

function definitionFiles(): [string, string][] {
  return readdirSync(join(ROOT, "definitions"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => [`definitions/${f}`, readFileSync(join(ROOT, "definitions", f), "utf8")]);
}

/** The core benchmark's Applications, 5% changed, with definitions/ beside them on both sides. */
export function definitionsRepository(size: number): { base: Snapshot; head: Snapshot; changed: string[] } {
  return syntheticRepository(size, { changedEvery: 20, files: definitionFiles() });
}

/** Counts the time spent inside CUE, so that the cold run's time per evaluation can be told. */
function timing(evaluator: CueEvaluator): { evaluator: CueEvaluator; ms: () => number } {
  let total = 0;
  return {
    evaluator: {
      toJSON(program) {
        const start = performance.now();
        try {
          return evaluator.toJSON(program);
        } finally {
          total += performance.now() - start;
        }
      },
    },
    ms: () => total,
  };
}

const round = (n: number): number => Math.round(n * 10) / 10;

export async function benchDefinitions(size = 1000): Promise<DefinitionsBenchFigures> {
  const startedAt = performance.now();
  const cue = await startCueEvaluator();
  const cueStartMs = performance.now() - startedAt;

  const { base, head, changed } = definitionsRepository(size);
  const catalog = readCatalog();
  const inputs = { base, head, policy: { files: new Map() }, changedFiles: changed, catalog, now: "2026-11-28T00:00:00Z" };
  const { floor } = yamlFloor(base, head);
  floor();
  const floorMs = time(floor, 3);

  // One template alone: mesh-ingress, on distinct hosts so that no result is memoized.
  const meshIngress = readFileSync(join(ROOT, "definitions", "mesh-ingress.yaml"), "utf8");
  const template = /template: \|\n([\s\S]*)$/.exec(meshIngress)?.[1]?.replace(/^ {8}/gm, "") ?? "";
  const single = new DefinitionEvaluations(cue);
  const context = { name: "svc", namespace: "team", appName: "app", outputs: { service: { apiVersion: "v1", kind: "Service", metadata: { name: "svc" }, spec: { ports: [{ name: "http-8080", port: 8080, protocol: "TCP" }] } } } };
  let host = 0;
  const singleEvaluationMs = time(() => single.evaluate(template, { parameter: { hosts: [`svc-${host++}.example.com`], tls: { credentialName: "svc-tls" } }, context }), 9);

  // Cold: a fresh process's memos (CUE already started: its start is its own figure).
  const counted = timing(cue);
  const evaluations = new DefinitionEvaluations(counted.evaluator);
  const memo = new RenderMemo();
  const coldMs = time(() => evaluate(inputs, { memo, evaluations }), 1);
  const coldEvaluations = evaluations.evaluations;
  const coldPrograms = evaluations.programs;
  const batchedEvaluationMs = counted.ms() / Math.max(1, coldEvaluations);

  // Warm: the same pull request again, nothing changed.
  const warmMs = time(() => evaluate(inputs, { memo, evaluations }), 3);
  const warmEvaluations = evaluations.evaluations - coldEvaluations;

  // The next pull request of a process that has judged the base: the changed files only.
  const next = new DefinitionEvaluations(cue);
  const nextMemo = new RenderMemo();
  evaluate({ ...inputs, head: base, changedFiles: [] }, { memo: nextMemo, evaluations: next });
  const before = next.evaluations;
  evaluate(inputs, { memo: nextMemo, evaluations: next });

  return {
    bench: "definitions",
    applications: size,
    changed: changed.length,
    cueStartMs: Math.round(cueStartMs),
    singleEvaluationMs: round(singleEvaluationMs),
    batchedEvaluationMs: round(batchedEvaluationMs),
    floorMs: Math.round(floorMs),
    coldMs: Math.round(coldMs),
    coldRatio: Math.round((coldMs / floorMs) * 100) / 100,
    coldEvaluations,
    coldPrograms,
    warmMs: Math.round(warmMs),
    warmRatio: Math.round((warmMs / floorMs) * 100) / 100,
    warmEvaluations,
    nextPullRequestEvaluations: next.evaluations - before,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { size: { type: "string", default: "1000" } } });
  console.log(JSON.stringify(await benchDefinitions(Number(values.size))));
}
