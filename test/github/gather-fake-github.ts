import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ProbotOctokit } from "probot";
import type nock from "nock";
import { mockGitHub, type GitHubMock } from "../support/github.js";
import type { GitHubClient } from "../../src/github/target.js";

/** A file of a fake commit: its text, or raw bytes; a mode (symbolic link 120000, submodule 160000). */
export interface FileSpec {
  text?: string;
  bytes?: Buffer;
  mode?: string;
  /** GraphQL answers this blob with `isTruncated: true` and half its text. */
  truncatedInGraphql?: boolean;
  /** The size the tree reports, when it must differ from the content's (a huge file not stored here). */
  size?: number;
}

interface StoredBlob {
  content: Buffer;
  binary: boolean;
  truncatedInGraphql: boolean;
}

interface TreeItem {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

export const example = (path: string): string => readFileSync(new URL(`../../examples/shop/${path}`, import.meta.url), "utf8");

export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

/** Git's blob id: the sha a real tree lists for this content. */
export function blobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** The client a handler gets, pointed at nock: token auth, no retry, no throttling. */
export function testClient(): GitHubClient {
  return new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } });
}

export interface CallLog {
  /** Every request, in the order it started: `GET /repos/…` or `POST /graphql`. */
  calls: { route: string; depth: number }[];
  /** The longest chain of calls each of which started after the previous one answered. */
  depth(): number;
  /** Forgets the calls so far, to measure the next evaluation alone. */
  reset(): void;
}

/**
 * Counts the requests of an Octokit and how deep their sequential chain goes: a call's depth is
 * one more than the deepest call that had answered when it started (an upper bound on the
 * dependencies the code imposes: independent calls started together share a depth).
 */
export function instrument(octokit: GitHubClient): CallLog {
  const calls: CallLog["calls"] = [];
  let answered = 0;
  octokit.hook.wrap("request", async (request, options) => {
    const depth = answered + 1;
    const { method, url } = octokit.request.endpoint.parse(options);
    calls.push({ route: `${method} ${new URL(url).pathname}`, depth });
    try {
      return await request(options);
    } finally {
      answered = Math.max(answered, depth);
    }
  });
  return {
    calls,
    depth: () => Math.max(0, ...calls.map((c) => c.depth)),
    reset() {
      calls.length = 0;
      answered = 0;
    },
  };
}

type Body = { query?: string; variables?: Record<string, string> };

/** A blob batch (`object(oid: …)` only), not the policy query (which also names its commit by oid). */
export function isBlobQuery(body: unknown): boolean {
  const query = bodyOf(body).query ?? "";
  return query.includes("object(oid:") && !query.includes("object(expression:");
}

function bodyOf(body: unknown): Body {
  return (typeof body === "string" ? JSON.parse(body) : body) as Body;
}

/**
 * A repository on a fake GitHub: commits are file maps, and each mock answers from them the
 * way GitHub's REST and GraphQL APIs do, so a test states what the repository holds and which
 * calls it expects, and nock fails on any other call or on one left unmade.
 */
export class FakeRepository {
  readonly mock: GitHubMock;
  readonly scope: nock.Scope;
  readonly blobs = new Map<string, StoredBlob>();
  readonly #trees = new Map<string, TreeItem[]>();

  constructor(
    readonly owner: string,
    readonly name: string,
  ) {
    this.mock = mockGitHub();
    this.scope = this.mock.scope;
  }

  get path(): string {
    return `/repos/${this.owner}/${this.name}`;
  }

  /** Stores a commit; returns its sha. */
  commit(label: string, files: Record<string, string | FileSpec>): string {
    const sha = sha1(`commit ${label}`);
    const items: TreeItem[] = [];
    const directories = new Set<string>();
    for (const [path, value] of Object.entries(files)) {
      const spec: FileSpec = typeof value === "string" ? { text: value } : value;
      const content = spec.bytes ?? Buffer.from(spec.text ?? "", "utf8");
      const mode = spec.mode ?? "100644";
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) directories.add(parts.slice(0, i).join("/"));
      if (mode === "160000") {
        items.push({ path, mode, type: "commit", sha: sha1(`submodule ${path} ${spec.text ?? ""}`) });
        continue;
      }
      const blob = blobSha(content);
      this.blobs.set(blob, { content, binary: spec.bytes !== undefined, truncatedInGraphql: spec.truncatedInGraphql ?? false });
      items.push({ path, mode, type: "blob", sha: blob, size: spec.size ?? content.length });
    }
    for (const directory of directories) items.push({ path: directory, mode: "040000", type: "tree", sha: sha1(`tree ${label} ${directory}`) });
    this.#trees.set(sha, items.sort((a, b) => (a.path < b.path ? -1 : 1)));
    return sha;
  }

  blobShaOf(commit: string, path: string): string {
    const item = this.#trees.get(commit)?.find((i) => i.path === path);
    if (!item) throw new Error(`no ${path} in ${commit}`);
    return item.sha;
  }

  textOf(commit: string, path: string): string {
    return this.blobs.get(this.blobShaOf(commit, path))?.content.toString("utf8") ?? "";
  }

  mockCompare(base: string, head: string, mergeBase: string): void {
    this.scope
      .get(`${this.path}/compare/${base}...${head}`)
      .query({ per_page: "1" })
      .reply(200, { status: "diverged", merge_base_commit: { sha: mergeBase }, base_commit: { sha: base }, commits: [], files: [] });
  }

  mockTree(commit: string, options: { truncated?: boolean } = {}): void {
    const tree = this.#trees.get(commit);
    if (!tree) throw new Error(`no commit ${commit}`);
    this.scope
      .get(`${this.path}/git/trees/${commit}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: sha1(`root ${commit}`),
        url: `https://api.github.com${this.path}/git/trees/${commit}`,
        tree: tree.map((item) => ({ ...item, url: `https://api.github.com${this.path}/git/${item.type === "tree" ? "trees" : "blobs"}/${item.sha}` })),
        truncated: options.truncated ?? false,
      });
  }

  /** The policy query: `object(expression: "<sha>:<path>")` for each policy path, answered from the commit's files. */
  mockPolicy(): void {
    this.scope
      .post("/graphql", (body: unknown) => bodyOf(body).query?.includes("object(expression:") ?? false)
      .reply(200, (_uri, body) => {
        const { variables = {} } = bodyOf(body);
        const repository: Record<string, unknown> = {};
        for (const [alias, expression] of Object.entries(variables)) {
          if (alias === "owner" || alias === "name") continue;
          if (alias === "commit") {
            repository[alias] = this.#trees.has(expression) ? { oid: expression } : null;
            continue;
          }
          const [commit = "", path = ""] = expression.split(/:(.*)/s);
          const item = this.#trees.get(commit)?.find((i) => i.path === path);
          const blob = item?.type === "blob" ? this.blobs.get(item.sha) : undefined;
          repository[alias] = !item ? null : !blob ? {} : { oid: item.sha, ...this.#graphqlBlob(blob) };
        }
        return { data: { repository } };
      });
  }

  /** `times` blob queries (`object(oid: …)`), answered from every blob of the repository. */
  mockBlobQueries(times: number): void {
    if (times === 0) return;
    this.scope
      .post("/graphql", (body: unknown) => isBlobQuery(bodyOf(body)))
      .times(times)
      .reply(200, (_uri, body) => {
        const { variables = {} } = bodyOf(body);
        const repository: Record<string, unknown> = {};
        for (const [alias, sha] of Object.entries(variables)) {
          if (alias === "owner" || alias === "name") continue;
          const blob = this.blobs.get(sha);
          repository[alias] = blob ? this.#graphqlBlob(blob) : null;
        }
        return { data: { repository } };
      });
  }

  /** The REST blob endpoint (base64), GraphQL's fallback for truncated texts. */
  mockWholeBlob(sha: string): void {
    const blob = this.blobs.get(sha);
    if (!blob) throw new Error(`no blob ${sha}`);
    this.scope
      .get(`${this.path}/git/blobs/${sha}`)
      .reply(200, { sha, size: blob.content.length, encoding: "base64", content: blob.content.toString("base64"), url: `https://api.github.com${this.path}/git/blobs/${sha}`, node_id: "B" });
  }

  /** A paginated list as GitHub serves it: `per_page=100`, a Link header naming the last page. */
  mockList(path: string, items: readonly unknown[], options: { status?: number } = {}): void {
    if (options.status !== undefined) {
      this.scope.get(path).query({ per_page: "100", page: "1" }).reply(options.status, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
      return;
    }
    const pages = Math.max(1, Math.ceil(items.length / 100));
    for (let page = 1; page <= pages; page++) {
      const link = pages > 1 ? { link: `<https://api.github.com${path}?per_page=100&page=${Math.min(page + 1, pages)}>; rel="next", <https://api.github.com${path}?per_page=100&page=${pages}>; rel="last"` } : undefined;
      this.scope
        .get(path)
        .query({ per_page: "100", page: String(page) })
        .reply(200, items.slice((page - 1) * 100, page * 100), link);
    }
  }

  mockPermission(login: string, permission: { permission: string; role_name: string } | 404): void {
    const route = this.scope.get(`${this.path}/collaborators/${login}/permission`);
    if (permission === 404) route.reply(404, { message: "Not Found" });
    else route.reply(200, { ...permission, user: { login, id: 1, type: "User" } });
  }

  #graphqlBlob(blob: StoredBlob): { text: string | null; isBinary: boolean; isTruncated: boolean } {
    if (blob.binary) return { text: null, isBinary: true, isTruncated: false };
    const text = blob.content.toString("utf8");
    return blob.truncatedInGraphql ? { text: text.slice(0, text.length / 2), isBinary: false, isTruncated: true } : { text, isBinary: false, isTruncated: false };
  }
}

export function review(login: string, state: string, commitId: string, submittedAt: string): unknown {
  return { id: Number.parseInt(sha1(login + state + submittedAt).slice(0, 8), 16), node_id: "R", user: { login, id: 1, type: "User" }, body: "", state, commit_id: commitId, submitted_at: submittedAt, html_url: "https://github.com", pull_request_url: "https://api.github.com", author_association: "MEMBER", _links: {} };
}

export function pullCommit(sha: string, parents: number, author: string | null, committer: string | null): unknown {
  return {
    sha,
    node_id: "C",
    parents: Array.from({ length: parents }, (_, i) => ({ sha: sha1(`${sha} parent ${i}`) })),
    author: author === null ? null : { login: author, id: 1, type: "User" },
    committer: committer === null ? null : { login: committer, id: 2, type: "User" },
    commit: { message: "change", author: { name: author ?? "someone" }, committer: { name: committer ?? "someone" } },
  };
}

export function member(login: string): unknown {
  return { login, id: 1, type: "User" };
}
