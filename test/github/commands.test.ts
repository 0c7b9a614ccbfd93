import { describe, expect, it } from "vitest";
import { readCatalog } from "../../src/cli/read-catalog.js";
import type { Resource } from "../../src/core/types.js";
import { parseCommand } from "../../src/github/commands.js";
import { commandReply } from "../../src/report/command-reply.js";
import { COMMENT_LIMIT } from "../../src/report/diff-markdown.js";

describe("parseCommand", () => {
  it.each([
    ["/render", { name: "render" }],
    ["/render storefront", { name: "render", app: "storefront" }],
    ["/diff", { name: "diff" }],
    ["/recheck", { name: "recheck" }],
    ["/explain mtls-002", { name: "explain", rule: "MTLS-002" }],
    ["/explain", { name: "explain" }],
    ["/help", { name: "help" }],
    ["/meshgate render storefront", { name: "render", app: "storefront" }],
    ["/meshgate   recheck", { name: "recheck" }],
    ["/MESHGATE Diff", { name: "diff" }],
    ["/meshgate", { name: "help" }],
    ["/meshgate frobnicate", { name: "help", unknown: "frobnicate" }],
    ["  /recheck  \r\n", { name: "recheck" }],
    ["Thanks! Could you look again?\n\n/recheck\n", { name: "recheck" }],
  ])("%j", (body, command) => {
    expect(parseCommand(body)).toEqual(command);
  });

  it.each([
    ["LGTM"],
    ["see /render in the docs"],
    // Other bots' commands share the slash namespace: only `/meshgate …` claims an unknown one.
    ["/assign @maria"],
    ["/lgtm"],
    ["> /recheck\n\nquoting someone"],
    ["```\n/recheck\n```"],
    ["/"],
    [""],
  ])("%j is not a command for meshgate", (body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  it("takes the first command of the comment", () => {
    expect(parseCommand("/diff\n/recheck")).toEqual({ name: "diff" });
  });
});

describe("commandReply", () => {
  const { rules } = readCatalog();

  it("help names every command, and what was not understood", () => {
    expect(commandReply({ kind: "help" })).toMatchInlineSnapshot(`
      "### meshgate commands

      | command | what it does |
      |---|---|
      | \`/render [app]\` | the Istio configuration the PR's head renders: one Application's, or all of it |
      | \`/diff\` | what changes in the rendered mesh, resource by resource |
      | \`/recheck\` | evaluates the \`meshgate\` check again (needs write permission on the repository) |
      | \`/explain RULE-ID\` | what a rule checks, why, and how to fix a finding |
      | \`/help\` | this list |

      Each can also be written \`/meshgate <command>\`, e.g. \`/meshgate render shop\`.
      "
    `);
    expect(commandReply({ kind: "help", unknown: "<b>x_y</b>" }).split("\n")[0]).toBe("meshgate does not know the command <code>&lt;b&gt;x\\_y&lt;/b&gt;</code>.");
  });

  it("explain: the rule's text, or the known ids", () => {
    expect(commandReply({ kind: "explain", rules, id: "MTLS-002" })).toContain("## MTLS-002: ");
    expect(commandReply({ kind: "explain", rules, id: "NOPE-001" })).toMatch(/^There is no rule <code>NOPE-001<\/code>\. The catalog has <code>AUTHN-001<\/code>, /);
    expect(commandReply({ kind: "explain", rules })).toMatch(/^Which rule\? Write `\/explain RULE-ID`, with one of /);
  });

  it("render: long output is collapsed, cut at whole resources, and within GitHub's limit with a note", () => {
    const resources: Resource[] = Array.from({ length: 400 }, (_, i) => ({
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${String(i).padStart(3, "0")}`, namespace: "shop" }, data: { blob: "x".repeat(300) } },
      source: { file: "apps/big.yaml", line: i + 1, app: "big" },
    }));
    const reply = commandReply({ kind: "render", headSha: "0123456789abcdef", resources, diagnostics: [] });
    expect(reply.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(reply).toContain("<details><summary>400 resources (YAML)</summary>");
    const shown = reply.match(/^kind: ConfigMap$/gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(400);
    expect(reply).toContain(`> ${400 - shown} of 400 resources left out: a reply is limited to 65536 characters.`);
    // Every resource shown is whole: the last document before the fence ends with its data.
    expect(reply).toMatch(/blob: x+\n```\n\n<\/details>/);
  });

  it("render of an Application that is not there names the ones that are", () => {
    const resources: Resource[] = [{ object: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "frontend", namespace: "shop" } }, source: { file: "apps/storefront.yaml", line: 1, app: "storefront" } }];
    expect(commandReply({ kind: "render", headSha: "0123456789abcdef", app: "nope", resources, diagnostics: [] })).toBe(
      "### Rendered mesh at <code>0123456</code>\n\nNothing renders for the Application <code>nope</code>. Applications rendered at this head: <code>storefront</code>.\n",
    );
  });

  it("refusal and failure are polite sentences", () => {
    expect(commandReply({ kind: "refused", command: "recheck", user: "olaf", permission: "read" })).toBe(
      "Sorry @olaf, <code>/recheck</code> needs write permission on this repository (yours: read). Someone with write access can run it; pushing a commit evaluates the pull request again too.\n",
    );
    expect(commandReply({ kind: "failed", command: "diff", reason: "GitHub truncated the file tree of abc" })).toBe("Could not answer <code>/diff</code>: GitHub truncated the file tree of abc\n");
  });
});
