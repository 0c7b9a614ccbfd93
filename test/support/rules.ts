import { existsSync, readdirSync, readFileSync } from "node:fs";
import { defaultConfig, loadConfig, type Config } from "../../src/core/config/config.js";
import type { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { RenderMemo } from "../../src/core/render/render-memo.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import { buildMeshIndex } from "../../src/core/rules/mesh-index.js";
import type { Rule, RuleInput } from "../../src/core/rules/rule.js";
import { runRules, type RuleFinding } from "../../src/core/rules/run-rules.js";
import { readCatalog } from "../../src/cli/read-catalog.js";

export const FIXTURES = new URL("../rules/fixtures/", import.meta.url);

/** A rule fixture: `<fires|passes>-<name>.yaml`, with optional `.base.yaml` and `.config.yml` beside it. */
export interface RuleFixture {
  rule: string;
  name: string;
  fires: boolean;
  head: string;
  base?: string;
  config?: string;
  /** `# expect: Kind namespace/name` lines of the head file (`# expect: config` for a config finding). */
  expected: string[];
}

export function ruleFixtures(): RuleFixture[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES).sort().flatMap((rule) =>
    readdirSync(new URL(`${rule}/`, FIXTURES))
      .filter((f) => /^(fires|passes)-.+\.yaml$/.test(f) && !f.endsWith(".base.yaml"))
      .sort()
      .map((file): RuleFixture => {
        const read = (name: string): string | undefined => {
          const url = new URL(`${rule}/${name}`, FIXTURES);
          return existsSync(url) ? readFileSync(url, "utf8") : undefined;
        };
        const stem = file.replace(/\.yaml$/, "");
        const head = read(file) ?? "";
        const base = read(`${stem}.base.yaml`);
        const config = read(`${stem}.config.yml`);
        return {
          rule,
          name: stem,
          fires: stem.startsWith("fires-"),
          head,
          ...(base !== undefined ? { base } : {}),
          ...(config !== undefined ? { config } : {}),
          expected: [...head.matchAll(/^# expect: (.+)$/gm)].map((m) => (m[1] ?? "").trim()).sort(),
        };
      }),
  );
}

export function catalogRules(): Rule[] {
  const catalog = readCatalog();
  if (catalog.diagnostics.length > 0) throw new Error(`rule catalog: ${JSON.stringify(catalog.diagnostics, null, 2)}`);
  return catalog.rules;
}

/** The input a rule sees for a head text (and an optional base text), as the check would build it. */
export function ruleInput(params: { head: string; base?: string; config?: Config; evaluations?: DefinitionEvaluations }): RuleInput {
  const config = params.config ?? defaultConfig();
  const render = renderSnapshot({ files: new Map([["fixture.yaml", params.head]]) }, config, new RenderMemo(), params.evaluations);
  const input: RuleInput = { render, index: buildMeshIndex(render, config), config };
  if (params.base !== undefined) {
    const base = renderSnapshot({ files: new Map([["fixture.yaml", params.base]]) }, config, new RenderMemo(), params.evaluations);
    input.base = { render: base, index: buildMeshIndex(base, config) };
  }
  return input;
}

/**
 * Runs one rule of the catalog on a fixture and returns its findings. A fixture may hold
 * TraitDefinitions and ComponentDefinitions beside its Application: `evaluations` renders them.
 */
export function runFixture(fixture: RuleFixture, rules: Rule[] = catalogRules(), evaluations?: DefinitionEvaluations): RuleFinding[] {
  const rule = rules.find((r) => r.id === fixture.rule);
  if (!rule) throw new Error(`no rule ${fixture.rule} in the catalog`);
  const loaded = fixture.config !== undefined ? loadConfig(fixture.config) : undefined;
  if (loaded && loaded.diagnostics.length > 0) throw new Error(`${fixture.name}: ${JSON.stringify(loaded.diagnostics)}`);
  const input = ruleInput({ head: fixture.head, ...(fixture.base !== undefined ? { base: fixture.base } : {}), ...(loaded ? { config: loaded.config } : {}), ...(evaluations ? { evaluations } : {}) });
  return runRules({ rules: [rule], input, overrides: {} });
}

/** How a finding is named in `# expect:` lines. */
export function findingTarget(finding: RuleFinding): string {
  return finding.resource ? `${finding.resource.kind} ${finding.resource.namespace}/${finding.resource.name}` : "config";
}
