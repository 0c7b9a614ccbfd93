import { describe, expect, it } from "vitest";
import type { ChangeSet, ResourceChange } from "../../src/core/diff/change-set.js";
import { diffJson } from "../../src/report/diff-json.js";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import { diffText } from "../../src/report/diff-text.js";
import { diffFixture } from "./diff-fixture.js";

function change(name: string, patch: string, message = "authorization widened: group `a|b` may now GET /x/*_y <b>"): ResourceChange {
  return {
    change: "modified",
    identity: `security.istio.io/AuthorizationPolicy/shop/${name}`,
    kind: "AuthorizationPolicy",
    namespace: "shop",
    name,
    fields: [{ path: "/spec/rules/0", pointer: "/spec/rules/0", before: null, after: { a: 1 } }],
    notes: [{ kind: "authorization", severity: "high", effect: "weakens", message, resource: { kind: "AuthorizationPolicy", namespace: "shop", name }, source: { file: "a.yaml", line: 1 } }],
    patch,
  };
}

describe("diff reports", () => {
  it("markdown escapes what the manifests wrote, except inside code spans", () => {
    const markdown = diffMarkdown({ changes: [change("p", "--- a\n+++ b\n")] });
    expect(markdown).toContain("- **high**: authorization widened: group `a|b` may now GET /x/\\*\\_y &lt;b&gt;\n");
  });

  it("markdown fences a patch with more backticks than it contains", () => {
    const markdown = diffMarkdown({ changes: [change("p", "--- a\n+++ b\n@@ -1 +1 @@\n-x: ```\n+x: y\n")] });
    expect(markdown).toContain("````diff\n--- a\n");
  });

  it("markdown stays within the size limit and names what it left out", () => {
    const changes = Array.from({ length: 40 }, (_, i) => change(`policy-${String(i).padStart(2, "0")}`, `--- a\n+++ b\n${"+x\n".repeat(200)}`));
    const markdown = diffMarkdown({ changes }, { maxLength: 10_000 });
    expect(markdown.length).toBeLessThanOrEqual(10_000);
    expect(markdown).toContain("| AuthorizationPolicy | 0 | 0 | 40 |");
    expect(markdown).toMatch(/_Not shown, to stay within 10,000 characters: the diffs of \d+ more resources\. Run `meshgate diff` locally for everything\._\n$/);
    expect(diffMarkdown({ changes }).length).toBeLessThanOrEqual(65_536);
  });

  it("json leaves out provenance and pointers: only the documented keys", () => {
    const changeSet: ChangeSet = diffFixture("egress");
    expect(diffJson(changeSet).changes.map((c) => [c.change, c.name, c.fields.map((f) => Object.keys(f))])).toEqual([
      ["added", "github", [["path", "before", "after"]]],
      ["removed", "old-partner", [["path", "before", "after"]]],
      ["modified", "stripe", [["path", "before", "after"]]],
    ]);
  });

  it("text lists added and removed resources with their mark, and cuts long values", () => {
    const text = diffText(diffFixture("egress"));
    expect(text.split("\n").filter((l) => l.startsWith("  ") && !l.startsWith("   "))).toEqual([
      "  medium new egress host api.github.com (ports 443/TLS) — ServiceEntry shop/github, service-entries.yaml:13",
      "  medium new egress host files.stripe.com (ports 443/TLS) — ServiceEntry shop/stripe, service-entries.yaml:1",
      "  low    egress host partner.example.net removed — ServiceEntry shop/old-partner, was at service-entries.yaml:13",
      // Each with the line it comes from: the head's, or the base's for a removal.
      "  + ServiceEntry shop/github — service-entries.yaml:13",
      "  - ServiceEntry shop/old-partner — service-entries.yaml:13",
      "  ~ ServiceEntry shop/stripe — service-entries.yaml:1",
    ]);
    const long = diffText({ changes: [change("p", "", "m")].map((c) => ({ ...c, fields: [{ path: "/spec", pointer: "/spec", before: null, after: "x".repeat(500) }] })) });
    expect(long).toContain(`/spec: (absent) → "${"x".repeat(118)}…`);
  });
});
