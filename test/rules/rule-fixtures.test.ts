import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DefinitionEvaluations } from "../../src/core/definitions/definition-evaluations.js";
import { startCueEvaluator } from "../../src/cue/start-cue-evaluator.js";
import { TEMPLATES } from "../../src/core/rules/templates/index.js";
import { catalogRules, findingTarget, FIXTURES, ruleFixtures, runFixture } from "../support/rules.js";

// The approval rules (CHG-*) are evaluated from reviews, not templates: their tests are in test/owners.
const rules = catalogRules().filter((r) => r.check !== undefined);
const fixtures = ruleFixtures();
// Fixtures may carry the repository's own definitions: they render in CUE, as the CLI renders them.
let evaluations: DefinitionEvaluations;
beforeAll(async () => {
  evaluations = new DefinitionEvaluations(await startCueEvaluator());
}, 30_000);

describe("the rule catalog", () => {
  it("gives every rule fixtures that must fire and fixtures that must not", () => {
    const missing = rules.flatMap((rule) => {
      const own = fixtures.filter((f) => f.rule === rule.id);
      return [...(own.some((f) => f.fires) ? [] : [`${rule.id}: no fires-* fixture`]), ...(own.some((f) => !f.fires) ? [] : [`${rule.id}: no passes-* fixture`])];
    });
    expect(missing).toEqual([]);
  });

  it("has a rule for every fixture folder, and a use for every template", () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(readdirSync(FIXTURES).filter((dir) => !ids.has(dir))).toEqual([]);
    const used = new Set(rules.map((r) => r.check?.template));
    expect([...TEMPLATES.keys()].filter((t) => !used.has(t))).toEqual([]);
  });

  it("expects at least one finding in every fires-* fixture", () => {
    expect(fixtures.filter((f) => f.fires && f.expected.length === 0).map((f) => `${f.rule}/${f.name}`)).toEqual([]);
  });
});

describe.each(fixtures.map((f) => [`${f.rule} ${f.name}`, f] as const))("%s", (_, fixture) => {
  it(fixture.fires ? `fires on ${fixture.expected.join(", ")}` : "does not fire", () => {
    const findings = runFixture(fixture, rules, evaluations);
    expect([...new Set(findings.map(findingTarget))].sort()).toEqual(fixture.expected);
    for (const finding of findings) {
      expect(finding.message).not.toMatch(/\{[A-Za-z0-9_]+\}/);
      expect(finding.line).toBeGreaterThan(0);
    }
  });
});
