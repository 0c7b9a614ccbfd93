import { cpSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/core/config/config.js";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { identityOf } from "../../src/core/render/identity.js";
import { RenderMemo } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import type { RenderResult } from "../../src/core/types.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";
import { runCli } from "../support/cli.js";
import { appWithTraits } from "../support/render.js";
import { tempTree } from "../support/temp-tree.js";
import { traitDefinition } from "../support/trait-definition.js";
import { SHIPPED_COMPONENT_TYPES, SHIPPED_TRAIT_TYPES, shippedDefinitions, traitFixtures } from "./equivalence-fixtures.js";

const config = defaultConfig();
const definitions = shippedDefinitions();
let evaluations: DefinitionEvaluations;

beforeAll(async () => {
  evaluations = new DefinitionEvaluations(await startCueEvaluator());
}, 30_000);

/** The objects a render applies, by identity (environment included): the definitions themselves left out. */
function objectsOf(result: RenderResult): Record<string, unknown> {
  return Object.fromEntries(result.resources.filter((r) => !r.object.apiVersion.startsWith("core.oam.dev/")).map((r) => [identityOf(r.object, r), JSON.parse(JSON.stringify(r.object)) as unknown]));
}

const errors = (result: RenderResult): string[] => result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}: ${d.message}`);

/**
 * Each fixture rendered natively, and through the shipped definitions (the fixture with
 * definitions/ beside it), each in a snapshot of its own. Fixtures that meshgate itself rejects
 * show a check of meshgate's, not a render to compare: they are counted apart.
 */
function renderBoth(fixtures: readonly { from: string; yaml: string }[]): { from: string; yaml: string; native: Record<string, unknown>; cue: Record<string, unknown>; cueErrors: string[] }[] {
  return fixtures.flatMap(({ from, yaml }) => {
    const file = "app.yaml";
    const native = renderSnapshot({ files: new Map([[file, yaml]]) }, config);
    if (errors(native).length > 0) return [];
    const cue = renderSnapshot({ files: new Map([[file, yaml], ...Object.entries(definitions)]) }, config, new RenderMemo(), evaluations);
    return [{ from, yaml, native: objectsOf(native), cue: objectsOf(cue), cueErrors: errors(cue) }];
  });
}

describe("meshgate's definitions in CUE render what meshgate renders natively", () => {
  it("ships a TraitDefinition for each of meshgate's mesh traits and a ComponentDefinition for every component type it renders, and nothing else", () => {
    const texts = Object.values(definitions);
    const named = (kind: string): string[] => texts.flatMap((t) => [...t.matchAll(new RegExp(`kind: ${kind}\\nmetadata:\\n  name: ([\\w-]+)`, "g"))].map((m) => m[1] ?? "")).sort();
    expect(named("TraitDefinition")).toEqual([...SHIPPED_TRAIT_TYPES].sort());
    expect(SHIPPED_TRAIT_TYPES).toHaveLength(10);
    expect(named("ComponentDefinition")).toEqual([...SHIPPED_COMPONENT_TYPES].sort());
  });

  it("object for object, on every trait fixture of the project that uses only those types", () => {
    const fixtures = traitFixtures();
    const rendered = renderBoth(fixtures);
    const covered = new Set<string>();
    for (const { from, yaml, native, cue, cueErrors } of rendered) {
      const what = `${from}:\n${yaml}`;
      expect(cueErrors, what).toEqual([]);
      expect(cue, what).toEqual(native);
      for (const m of yaml.matchAll(/\btype: ([\w-]+)/g)) covered.add(m[1] ?? "");
    }
    // The render tests' and the rule, diff and check fixtures' files both count.
    expect(rendered.filter((r) => r.from.endsWith(".ts")).length).toBeGreaterThan(30);
    expect(rendered.filter((r) => /\.ya?ml$/.test(r.from)).length).toBeGreaterThan(30);
    // Every shipped type is compared on at least one fixture.
    expect([...SHIPPED_TRAIT_TYPES, ...SHIPPED_COMPONENT_TYPES].filter((t) => !covered.has(t))).toEqual([]);
  }, 300_000);

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
    const rendered = renderBoth(orders.map((order) => ({ from: order.join(", "), yaml: appWithTraits(order.map((t) => shared[t]).join("\n")) })));
    expect(rendered).toHaveLength(orders.length);
    for (const { from, native, cue, cueErrors } of rendered) {
      expect(cueErrors, from).toEqual([]);
      expect(cue, from).toEqual(native);
    }
  }, 120_000);
});

describe("a trait that renders the component's Service C, on a component of a repository ComponentDefinition", () => {
  // expose, KubeVela's gateway and the catalog's canary-traffic each render Service C: the
  // one KubeVela applies after the component's, as meshgate's own webservice lets it.
  const traits = {
    expose: "- type: expose\n  properties:\n    ports: [{ port: 8080 }]\n    type: LoadBalancer",
    gateway: "- type: gateway\n  properties:\n    domain: shop.example.com\n    http: { /: 8080 }",
    "canary-traffic": "- type: canary-traffic\n  properties:\n    port: [8080]",
  };

  it.each(Object.entries(traits))("%s: its Service replaces the definition's, as it replaces meshgate's own", (type, trait) => {
    const [rendered] = renderBoth([{ from: type, yaml: appWithTraits(`${trait}\n- type: mtls\n  properties:\n    mode: STRICT`) }]);
    expect(rendered?.cueErrors).toEqual([]);
    expect(rendered?.cue).toEqual(rendered?.native);
    const services = Object.values(rendered?.cue ?? {}).filter((o) => (o as { kind: string }).kind === "Service");
    // The trait's Service, not the definition's (whose ports are named by protocol).
    expect(services).toHaveLength(1);
    expect(JSON.stringify(services)).not.toContain('"http-8080"');
  }, 30_000);

  it("a repository trait's Service C replaces it too, and only a Service named after the component does", () => {
    const definition = traitDefinition("own-service", `outputs: {
\tsvc: {apiVersion: "v1", kind: "Service", metadata: name: context.name, spec: {selector: app: context.name, ports: [{name: "tcp-8080", port: 8080}]}}
\tother: {apiVersion: "v1", kind: "Service", metadata: name: "\\(context.name)-admin", spec: {selector: app: context.name, ports: [{name: "http-9000", port: 9000}]}}
}
`);
    const files = new Map([["app.yaml", appWithTraits("- type: own-service")], ["definitions/own-service.yaml", definition], ...Object.entries(definitions)]);
    const result = renderSnapshot({ files }, config, new RenderMemo(), evaluations);
    expect(errors(result)).toEqual([]);
    const services = result.resources.filter((r) => r.object.kind === "Service");
    expect(services.map((r) => [r.object.metadata.name, (r.object.spec?.ports as { name: string }[])[0]?.name, r.source.trait])).toEqual([
      ["frontend", "tcp-8080", "own-service"],
      ["frontend-admin", "http-9000", "own-service"],
    ]);
  }, 30_000);
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe("meshgate render of the example with meshgate's definitions copied into it", () => {
  it("gives the same resources as without: the definitions override the native renderers with the same render", async () => {
    const root = tempTree();
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
  }, 60_000);
});
