import { describe, expect, it } from "vitest";
import { parseGraphQL } from "../../tools/github-stand-in/graphql-query.js";
import { shopFixture } from "./support.js";

const shop = shopFixture();

interface BlobFields {
  text: string | null;
  isBinary: boolean | null;
  byteSize: number;
  oid: string;
}

async function blobsOf(rev: string): Promise<{ path: string; sha: string; size: number }[]> {
  const tree = await shop.standIn.git.resolveTree(rev);
  const entries = await shop.standIn.git.tree(tree ?? "", true);
  return entries.filter((e) => e.type === "blob").map((e) => ({ path: e.path, sha: e.sha, size: e.size ?? 0 }));
}

/** The query a client batches blobs with: one aliased object(oid:) per blob. */
function blobQuery(shas: readonly string[]): string {
  const aliases = shas.map((sha, i) => `b${i}: object(oid: "${sha}") { ... on Blob { text isBinary byteSize oid } }`).join("\n    ");
  return `query($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    ${aliases}\n  }\n}`;
}

describe("GraphQL blob batches", () => {
  it("answers every aliased object(oid:) of a query with its text, in one call", async () => {
    const blobs = [...(await blobsOf("main")), ...(await blobsOf("pr"))];
    const shas = [...new Set(blobs.map((b) => b.sha))];
    const data = await shop.octokit.graphql<{ repository: Record<string, BlobFields | null> }>(blobQuery(shas), { owner: "acme", name: "shop" });
    expect(Object.keys(data.repository)).toEqual(shas.map((_, i) => `b${i}`));
    shas.forEach((sha, i) => {
      const blob = data.repository[`b${i}`];
      expect(blob?.oid).toBe(sha);
      expect(blob?.isBinary).toBe(false);
      expect(Buffer.byteLength(blob?.text ?? "")).toBe(blob?.byteSize);
    });
    expect(data.repository.b0?.byteSize).toBe(blobs.find((b) => b.sha === shas[0])?.size);
    expect(shop.standIn.calls.map((c) => [c.route, c.status])).toEqual([["POST /graphql", 200]]);
  });

  it("resolves object(expression: \"<rev>:<path>\"), null where nothing is, and __typename", async () => {
    const data = await shop.octokit.graphql<{ repository: Record<string, { __typename?: string; text?: string; oid?: string } | null> }>(`{
      repository(owner: "acme", name: "shop") {
        config: object(expression: "main:.github/meshgate.yml") { __typename ... on Blob { text } }
        owners: object(expression: "main:.github/CODEOWNERS") { ...blob }
        missing: object(expression: "main:no/such/file.yaml") { oid }
        tree: object(expression: "pr:apps") { __typename oid }
        unknownSha: object(oid: "${"0".repeat(40)}") { oid }
      }
    }
    fragment blob on Blob { text oid }`);
    expect(data.repository.config?.__typename).toBe("Blob");
    expect(data.repository.config?.text).toMatch(/\S/);
    expect(data.repository.owners?.text).toContain("@acme/security");
    expect(data.repository.missing).toBeNull();
    const [apps] = await shop.standIn.git.headers(["pr:apps"]);
    expect(data.repository.tree).toEqual({ __typename: "Tree", oid: apps?.sha });
    expect(data.repository.unknownSha).toBeNull();
  });

  it("answers the app's query shapes: typed variables for oids and expressions, a commit by oid, a directory as {}", async () => {
    const main = (await shop.standIn.git.resolveCommit("main")) ?? "";
    const [blob] = await blobsOf("main");
    const query = `query($owner: String!, $name: String!, $commit: GitObjectID!, $p0: String!, $p1: String!, $b0: GitObjectID!) {
  repository(owner: $owner, name: $name) {
    commit: object(oid: $commit) { oid }
    p0: object(expression: $p0) { ... on Blob { oid text isBinary isTruncated } }
    p1: object(expression: $p1) { ... on Blob { oid text isBinary isTruncated } }
    b0: object(oid: $b0) { ... on Blob { text isBinary isTruncated } }
  }
}`;
    const data = await shop.octokit.graphql<{ repository: Record<string, Record<string, unknown> | null> }>(query, {
      owner: "acme",
      name: "shop",
      commit: main,
      p0: `${main}:.github/CODEOWNERS`,
      p1: `${main}:apps`,
      b0: blob?.sha,
    });
    expect(data.repository.commit).toEqual({ oid: main });
    expect(data.repository.p0).toMatchObject({ isBinary: false, isTruncated: false, text: expect.stringContaining("@acme/security") as unknown });
    expect(data.repository.p1).toEqual({});
    expect(data.repository.b0).toMatchObject({ isBinary: false, isTruncated: false });
  });

  it("gives binary blobs isBinary and no text", async () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]);
    const sha = (await shop.standIn.git.run(["hash-object", "-w", "--stdin"], binary)).toString("utf8").trim();
    const data = await shop.octokit.graphql<{ repository: { png: BlobFields } }>(`{ repository(owner: "acme", name: "shop") { png: object(oid: "${sha}") { ... on Blob { text isBinary byteSize oid } } } }`);
    expect(data.repository.png).toEqual({ text: null, isBinary: true, byteSize: 7, oid: sha });
  });

  it("marks text over the configured limit as truncated", async () => {
    shop.standIn.limits.blobText = 10;
    const [blob] = await blobsOf("main");
    const data = await shop.octokit.graphql<{ repository: { b: { text: string; isTruncated: boolean } } }>(`{ repository(owner: "acme", name: "shop") { b: object(oid: "${blob?.sha ?? ""}") { ... on Blob { text isTruncated } } } }`);
    expect(data.repository.b).toEqual({ text: expect.stringMatching(/^.{1,10}$/s) as unknown, isTruncated: true });
  });
});

describe("GraphQL errors, as GitHub reports them", () => {
  it("refuses a field that is not on the type (text needs `... on Blob`), with no data", async () => {
    const error: unknown = await shop.octokit.graphql(`{ repository(owner: "acme", name: "shop") { a: object(expression: "main:x") { text } } }`).catch((e: unknown) => e);
    expect(error).toMatchObject({ errors: [{ message: "Field 'text' doesn't exist on type 'GitObject'", extensions: { code: "undefinedField" } }] });
  });

  it("answers NOT_FOUND for another repository, with data null there", async () => {
    const response = await fetch(`${shop.standIn.url}/graphql`, {
      method: "POST",
      headers: { authorization: `token ${shop.standIn.issueToken()}`, "content-type": "application/json" },
      body: JSON.stringify({ query: `{ repository(owner: "acme", name: "other") { object(expression: "main:x") { oid } } }` }),
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { repository: null },
      errors: [{ type: "NOT_FOUND", path: ["repository"], locations: [{ line: 1, column: 3 }], message: "Could not resolve to a Repository with the name 'acme/other'." }],
    });
  });

  it("reports a parse error with its position, an unset variable, an invalid oid, a mutation", async () => {
    const ask = (query: string) => shop.octokit.graphql(query).catch((e: unknown) => e);
    const broken = `{ repository(owner: "acme" name: "shop") { object(oid: ) { oid } } }`;
    const column = broken.indexOf("oid: )") + "oid: )".length;
    expect(await ask(broken)).toMatchObject({ errors: [{ message: `Parse error on ")" (PUNCTUATOR) at [1, ${column}]`, locations: [{ line: 1, column }] }] });
    expect(await ask(`query($name: String!) { repository(owner: "acme", name: $name) { id } }`)).toMatchObject({ errors: [{ message: "Variable $name of type String! was provided invalid value" }] });
    expect(await ask(`{ repository(owner: "acme", name: "shop") { object(oid: "abc") { oid } } }`)).toMatchObject({ errors: [{ message: expect.stringContaining("Expected type 'GitObjectID'") as unknown }] });
    expect(await ask(`mutation { addComment(input: {}) { clientMutationId } }`)).toMatchObject({ errors: [{ message: expect.stringContaining("queries only") as unknown }] });
  });
});

describe("the GraphQL parser", () => {
  it("reads aliases, arguments of every kind, variables, directives, fragments and block strings", () => {
    const document = parseGraphQL(`
      # a comment
      query Blobs($owner: String! = "acme", $ids: [ID!]) @live {
        repository(owner: $owner, name: "shop", followRenames: true) {
          a: object(expression: """
              main:apps/x.yaml
          """) { ... on Blob @include(if: true) { text } }
          b: object(oid: "\\u0061bc") { ...F }
          rateLimit(dryRun: false, limits: [1, 2.5e3, -3], filter: {kind: BLOB, n: null}) { cost }
        }
      }
      fragment F on Blob { oid }
    `);
    const [operation] = document.operations;
    expect([operation?.operation, operation?.name, operation?.variables.map((v) => v.type)]).toEqual(["query", "Blobs", ["String!", "[ID!]"]]);
    const repository = operation?.selections[0];
    if (repository?.kind !== "field") throw new Error("expected a field");
    const [a, b, rateLimit] = repository.selections;
    expect(a).toMatchObject({ kind: "field", alias: "a", name: "object", arguments: { expression: { kind: "string", value: "main:apps/x.yaml" } } });
    expect(b).toMatchObject({ alias: "b", arguments: { oid: { kind: "string", value: "abc" } }, selections: [{ kind: "fragment-spread", name: "F" }] });
    expect(rateLimit).toMatchObject({
      arguments: {
        limits: { kind: "list", values: [{ kind: "int" }, { kind: "float" }, { kind: "int", value: "-3" }] },
        filter: { kind: "object", fields: { kind: { kind: "enum", value: "BLOB" }, n: { kind: "null" } } },
      },
    });
    expect(document.fragments.get("F")?.typeCondition).toBe("Blob");
  });

  it("refuses broken documents with a position, and bounds nesting", () => {
    expect(() => parseGraphQL("{ a(b: ) }")).toThrow(/Parse error on "\)" \(PUNCTUATOR\) at \[1, 8\]/);
    expect(() => parseGraphQL('{ a(b: "unterminated) }')).toThrow(/Unterminated string/);
    expect(() => parseGraphQL("{ }")).toThrow(/Parse error/);
    expect(() => parseGraphQL("{ a ")).toThrow(/end of file/);
    expect(() => parseGraphQL(`${"{ a ".repeat(100)}${"}".repeat(100)}`)).toThrow(/nested deeper than 64/);
  });
});
