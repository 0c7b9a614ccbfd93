// CODEOWNERS at scale (DESIGN §9): owners of 100,000 paths against a 1,000-line CODEOWNERS in
// under 1 s. Times meshgate's matcher and, in the same run, the `codeowners` npm package on
// fewer paths (it is too slow for all of them), and compares the cost per path.
//   node --import tsx bench/codeowners.ts [--package-paths N]
import Codeowners from "codeowners";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { codeownersIndex } from "../src/core/owners/codeowners-index.js";
import { findCodeowners } from "../src/core/owners/find-codeowners.js";

export interface CodeownersBenchFigures {
  bench: "codeowners";
  lines: number;
  paths: number;
  /** Reading the file and building the index. */
  meshgateCompileMs: number;
  /** Owners of every path, on a fresh index (no warm directory memo). */
  meshgateMatchMs: number;
  /** Best of three runs; `meshgateFirstRunMs` is the first, cold one (JIT warm-up included). */
  meshgateTotalMs: number;
  meshgateFirstRunMs: number;
  packagePaths: number;
  packageMs: number;
  /** The package's cost per path over meshgate's (compile + match). */
  perPathRatio: number;
  /** Paths (of those the package saw) where the two give different owners: GitHub's rules are not .gitignore's. */
  disagreements: number;
  withinBudget: boolean;
}

const BUDGET_MS = 1000;

/** Deterministic, so every run measures the same repository. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

interface Repository {
  codeowners: string;
  lines: number;
  paths: string[];
}

/**
 * A monorepo of apps, services and libraries owned by 60 teams: one line per app or service
 * directory, deploy and generated sub-trees, per-library source globs, owners of a service's
 * top-level files (`/services/svc-1/*`), and the cross-cutting globs real files carry (`*.md`,
 * `**\/deploy/*.yaml`, `Makefile`, …).
 */
function monorepo(lineCount: number, pathCount: number): Repository {
  const random = generator(20240501);
  const team = (): string => `@acme/team-${random(60)}`;
  const user = (): string => `@dev${random(400)}`;
  const pick = <T>(items: readonly T[]): T => items[random(items.length)] as T;

  const lines = ["# Generated for bench/codeowners.ts", "* @acme/platform", "*.md @acme/docs", "/docs/ @acme/docs", "/docs/*.png", "Makefile @acme/build", "**/deploy/*.yaml @acme/sre", "*.test.ts @acme/qa", "/.github/ @acme/platform @acme/security", "/infra/**/prod/ @acme/sre @acme/security", "/tools/*/ @acme/build", "LICENSE", "go.sum", "*.lock @acme/build"];
  let apps = 0;
  let services = 0;
  let libs = 0;
  while (lines.length < lineCount) {
    const kind = random(10);
    if (kind < 4) lines.push(`/apps/app-${apps++}/ ${team()}${random(3) === 0 ? ` ${user()}` : ""}`);
    else if (kind < 6) lines.push(`/services/svc-${services++}/ ${team()} ${team()}`);
    else if (kind < 7) lines.push(`/libs/lib-${libs++}/src/*.ts ${team()}`);
    else if (kind < 8) lines.push(`/apps/app-${random(apps + 1)}/deploy/ @acme/sre ${team()}`);
    else if (kind < 9) lines.push(`/services/svc-${random(services + 1)}/generated/`);
    else {
      lines.push(pick([
        `apps/app-${random(apps + 1)}/**/config.yaml ${team()}`,
        `/libs/lib-${random(libs + 1)}/ ${user()}`,
        `**/fixtures/ @acme/qa`,
        `/infra/modules/mod-${random(50)}/ ${team()}`,
        `/services/svc-${random(services + 1)}/* ${user()}`,
      ]));
    }
  }

  const directories = [
    ...Array.from({ length: apps }, (_, i) => `apps/app-${i}`),
    ...Array.from({ length: services }, (_, i) => `services/svc-${i}`),
    ...Array.from({ length: libs }, (_, i) => `libs/lib-${i}`),
    ...Array.from({ length: 50 }, (_, i) => `infra/modules/mod-${i}`),
    ...Array.from({ length: 20 }, (_, i) => `infra/envs/${pick(["prod", "staging", "dev"])}-${i}/prod`),
    "docs",
    "tools/lint",
    ".github/workflows",
  ];
  const subdirectories = ["src", "src/components", "src/handlers", "src/models", "test", "test/fixtures", "deploy", "generated", "docs", ""];
  const files = ["index.ts", "handler.ts", "model.ts", "util.test.ts", "config.yaml", "app.yaml", "values.yaml", "README.md", "Makefile", "schema.json", "main.go", "go.sum", "image.png"];
  const paths = Array.from({ length: pathCount }, (_, i) => {
    const subdirectory = pick(subdirectories);
    const file = random(3) === 0 ? pick(files) : `file-${i}.${pick(["ts", "go", "yaml", "md", "json"])}`;
    return [pick(directories), subdirectory, file].filter((part) => part !== "").join("/");
  });
  return { codeowners: `${lines.join("\n")}\n`, lines: lines.length, paths };
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

export function benchCodeowners(options: { lines?: number; paths?: number; packagePaths?: number } = {}): CodeownersBenchFigures {
  const repository = monorepo(options.lines ?? 1000, options.paths ?? 100_000);
  const packagePaths = Math.min(options.packagePaths ?? 10_000, repository.paths.length);

  // Best of three, each from the text and with a fresh index: the first run pays the JIT warm-up.
  let best = { compile: Infinity, match: Infinity, owners: [] as (readonly string[])[] };
  let firstRunMs = 0;
  for (let run = 0; run < 3; run++) {
    const compile = timed(() => codeownersIndex(findCodeowners(new Map([[".github/CODEOWNERS", repository.codeowners]]))));
    const match = timed(() => repository.paths.map((path) => {
      const owners = compile.result.ownersOf(path);
      return owners.status === "owned" ? owners.owners : [];
    }));
    if (run === 0) firstRunMs = compile.ms + match.ms;
    if (compile.ms + match.ms < best.compile + best.match) best = { compile: compile.ms, match: match.ms, owners: match.result };
  }

  const root = mkdtempSync(join(tmpdir(), "meshgate-bench-codeowners-"));
  try {
    mkdirSync(join(root, ".github"));
    writeFileSync(join(root, ".github", "CODEOWNERS"), repository.codeowners);
    const sample = repository.paths.slice(0, packagePaths);
    const timedPackage = timed(() => {
      const codeowners = new Codeowners(root);
      return sample.map((path) => codeowners.getOwner(path));
    });
    const disagreements = sample.filter((_, i) => (timedPackage.result[i] ?? []).join(" ") !== (best.owners[i] ?? []).join(" ")).length;
    const meshgateTotalMs = best.compile + best.match;
    return {
      bench: "codeowners",
      lines: repository.lines,
      paths: repository.paths.length,
      meshgateCompileMs: round(best.compile),
      meshgateMatchMs: round(best.match),
      meshgateTotalMs: round(meshgateTotalMs),
      meshgateFirstRunMs: round(firstRunMs),
      packagePaths,
      packageMs: round(timedPackage.ms),
      perPathRatio: round(timedPackage.ms / packagePaths / (meshgateTotalMs / repository.paths.length)),
      disagreements,
      withinBudget: firstRunMs < BUDGET_MS,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function codeownersTable(figures: CodeownersBenchFigures): string {
  const perPath = (ms: number, paths: number): string => `${((ms / paths) * 1000).toFixed(2)} µs`;
  const rows = [
    ["matcher", "paths", "time", "per path"],
    ["meshgate (compile + match)", String(figures.paths), `${figures.meshgateTotalMs} ms`, perPath(figures.meshgateTotalMs, figures.paths)],
    ["  of which compile", "", `${figures.meshgateCompileMs} ms`, ""],
    ["  first (cold) run", String(figures.paths), `${figures.meshgateFirstRunMs} ms`, perPath(figures.meshgateFirstRunMs, figures.paths)],
    ["codeowners (npm)", String(figures.packagePaths), `${figures.packageMs} ms`, perPath(figures.packageMs, figures.packagePaths)],
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd());
  return [
    `CODEOWNERS: ${figures.lines} lines`,
    ...lines,
    `per-path ratio (codeowners / meshgate): ${figures.perPathRatio}×`,
    `budget: ${figures.paths} paths in < ${BUDGET_MS} ms, cold: ${figures.withinBudget ? "met" : "MISSED"}`,
    `owners differ on ${figures.disagreements} of ${figures.packagePaths} paths (the package applies .gitignore rules, not GitHub's)`,
  ].join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { "package-paths": { type: "string" } } });
  const packagePaths = values["package-paths"] === undefined ? undefined : Number(values["package-paths"]);
  const figures = benchCodeowners(packagePaths === undefined ? {} : { packagePaths });
  console.log(codeownersTable(figures));
  console.log(JSON.stringify(figures));
  process.exitCode = figures.withinBudget ? 0 : 1;
}
