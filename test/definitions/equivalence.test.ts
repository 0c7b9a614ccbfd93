import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { identityOf } from "../../src/core/render/identity.js";
import { RenderMemo } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import { COMPONENTS } from "../../src/core/render/components/index.js";
import { TRAITS } from "../../src/core/render/traits/index.js";
import type { RenderResult } from "../../src/core/types.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";
import { runCli } from "../support/cli.js";
import { appWithTraits } from "../support/render.js";
import { applicationOf, renderFixtures, shippedDefinitions } from "./equivalence-fixtures.js";

const config = defaultConfig();
const definitions = shippedDefinitions();
let evaluations: DefinitionEvaluations;

beforeAll(async () => {
  evaluations = new DefinitionEvaluations(await startCueEvaluator());
}, 30_000);

/** The objects a render applies, by identity: the definitions themselves left out. */
function objectsOf(result: RenderResult, file?: string): Record<string, unknown> {
  return Object.fromEntries(result.resources.filter((r) => !r.object.apiVersion.startsWith("core.oam.dev/") && (file === undefined || r.source.file === file)).map((r) => [identityOf(r.object), JSON.parse(JSON.stringify(r.object)) as unknown]));
}

const errors = (result: RenderResult, file?: string): string[] =>
  result.diagnostics.filter((d) => d.severity === "error" && (file === undefined || d.file === file)).map((d) => `${d.file}:${d.line}: ${d.message}`);

/**
 * Each Application rendered natively on its own, and all of them through the definitions in one
 * snapshot (each in a namespace of its own), so that CUE evaluates them in batches as a
 * repository's would be. Applications that meshgate rejects are left out.
 */
function renderBoth(apps: readonly string[]): { app: string; native: Record<string, unknown>; cue: Record<string, unknown>; cueErrors: string[] }[] {
  const files = apps.map((app, i) => ({ file: `f${i}.yaml`, app: app.replace(/^(\s*)namespace: shop$/gm, `$1namespace: n${i}`) }));
  const native = files.map(({ file, app }) => renderSnapshot({ files: new Map([[file, app]]) }, config));
  const kept = files.filter((_, i) => errors(native[i] as RenderResult).length === 0);
  const cue = renderSnapshot({ files: new Map([...kept.map(({ file, app }): [string, string] => [file, app]), ...Object.entries(definitions)]) }, config, new RenderMemo(), evaluations);
  return kept.map(({ file, app }) => ({
    app,
    native: objectsOf(native[files.findIndex((f) => f.file === file)] as RenderResult),
    cue: objectsOf(cue, file),
    // Two fixtures exposing one host conflict only because they share a snapshot here.
    cueErrors: errors(cue, file).filter((e) => !e.includes("is already exposed by")),
  }));
}

describe("meshgate's definitions in CUE render what meshgate renders natively", () => {
  it("ships a TraitDefinition for every mesh trait and a ComponentDefinition for every component type", () => {
    const texts = Object.values(definitions);
    const named = (kind: string): string[] => texts.flatMap((t) => [...t.matchAll(new RegExp(`kind: ${kind}\\nmetadata:\\n  name: ([\\w-]+)`, "g"))].map((m) => m[1] ?? "")).sort();
    expect(named("TraitDefinition")).toEqual([...TRAITS.keys()].sort());
    expect(named("ComponentDefinition")).toEqual([...COMPONENTS.keys()].sort());
  });

  it("object for object, on every fixture of the render tests that renders without error", () => {
    const covered = new Set<string>();
    // A fixture that meshgate rejects shows a check of meshgate's, not a render to compare.
    const rendered = renderBoth(renderFixtures().map(applicationOf));
    for (const { app, native, cue, cueErrors } of rendered) {
      expect(cueErrors, app).toEqual([]);
      expect(cue, app).toEqual(native);
      for (const m of app.matchAll(/\btype: ([\w-]+)/g)) covered.add(m[1] ?? "");
    }
    expect(rendered.length).toBeGreaterThan(30);
    // Every trait and component type is compared on at least one fixture.
    expect([...TRAITS.keys(), ...COMPONENTS.keys()].filter((t) => !covered.has(t))).toEqual([]);
  }, 120_000);

  it("whatever the order of the traits that share VirtualService C, C-ingress and DestinationRule C", () => {
    const shared = {
      "traffic-split": "- type: traffic-split\n  properties:\n    subsets: [{ name: stable, labels: { version: v1 }, weight: 90 }, { name: canary, labels: { version: v2 }, weight: 10 }]\n    match: [{ headers: { x-canary: { exact: \"true\" } }, subset: canary }]\n    mirror: { subset: canary, percent: 20 }",
      "http-resilience": "- type: http-resilience\n  properties:\n    timeout: 4s\n    retries: { attempts: 2, perTryTimeout: 1s }",
      "fault-injection": "- type: fault-injection\n  properties:\n    match: { headers: { x-chaos: { exact: \"1\" } } }\n    delay: { fixedDelay: 2s }\n    abort: { httpStatus: 503, percent: 10 }",
      "mesh-ingress": "- type: mesh-ingress\n  properties:\n    hosts: [shop.example.com]\n    tls: { credentialName: shop-cert }\n    routes: [{ prefix: /api/, rewrite: / }, { prefix: / }]",
      "circuit-breaker": "- type: circuit-breaker\n  properties:\n    outlierDetection: { consecutive5xxErrors: 5 }",
    };
    const orders = permutations(Object.keys(shared) as (keyof typeof shared)[]);
    expect(orders).toHaveLength(120);
    const rendered = renderBoth(orders.map((order) => appWithTraits(order.map((t) => shared[t]).join("\n"))));
    expect(rendered).toHaveLength(orders.length);
    rendered.forEach(({ native, cue, cueErrors }, i) => {
      const order = (orders[i] ?? []).join(", ");
      expect(cueErrors, order).toEqual([]);
      expect(cue, order).toEqual(native);
    });
  }, 120_000);
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe("meshgate render of the example with meshgate's definitions copied into it", () => {
  it("gives the same resources as without: the definitions override the native renderers with the same render", async () => {
    const root = mkdtempSync(join(tmpdir(), "meshgate-shop-definitions-"));
    try {
      cpSync("examples/shop", root, { recursive: true });
      cpSync("definitions", join(root, "definitions"), { recursive: true });
      const objects = (stdout: string): unknown[] =>
        (JSON.parse(stdout) as { resources: (Record<string, unknown> & { apiVersion: string })[] }).resources
          .filter((r) => !r.apiVersion.startsWith("core.oam.dev/"))
          .map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== "source" && key !== "sources")));
      const native = await runCli(["render", "examples/shop", "--format", "json"]);
      const withDefinitions = await runCli(["render", root, "--format", "json"]);
      expect(withDefinitions.code).toBe(0);
      expect(objects(native.stdout).length).toBeGreaterThan(20);
      expect(objects(withDefinitions.stdout)).toEqual(objects(native.stdout));
      // Rendered by the definitions, not by meshgate's renderers of the same names.
      const sources = (JSON.parse(withDefinitions.stdout) as { resources: { kind: string; source: { app?: string; definition?: { name: string } } }[] }).resources;
      expect(sources.filter((r) => r.source.app !== undefined && r.source.definition === undefined).map((r) => r.kind)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
