import type { GitTreeEntry } from "../git-repository.js";
import { commitObject, githubBase64, nodeId, stableId, type Json } from "../github-objects.js";
import { failure, json, notFound, paginate, repositoryPath, type Route, type RouteRequest, type StandInContext } from "./route.js";

const RAW_MEDIA_TYPE = /application\/vnd\.github(?:\.v3)?\.raw/;
/** The contents API gives the content of files up to 1 MB; larger ones come with encoding "none". */
const CONTENTS_INLINE_LIMIT = 1024 * 1024;
/** What GitHub answers a raw request with; Octokit reads it as text because of the charset. */
const RAW_CONTENT_TYPE = "text/plain; charset=utf-8";

function wantsRaw(request: RouteRequest): boolean {
  return RAW_MEDIA_TYPE.test(request.headers.accept ?? "");
}

/** "main", "acme:main" or "acme:shop:main" → "main" (the stand-in holds one repository and its forks' commits). */
function refOf(side: string): string {
  const parts = side.split(":");
  return parts[parts.length - 1] ?? side;
}

async function compare(request: RouteRequest, context: StandInContext) {
  const { site, git, limits } = context;
  const docs = "https://docs.github.com/rest/commits/commits#compare-two-commits";
  const basehead = request.params.basehead ?? "";
  const split = basehead.indexOf("...");
  if (split < 0) return notFound(docs);
  const [baseSha, headSha] = await Promise.all([git.resolveCommit(refOf(basehead.slice(0, split))), git.resolveCommit(refOf(basehead.slice(split + 3)))]);
  if (!baseSha || !headSha) return notFound(docs);
  const mergeBase = await git.mergeBase(baseSha, headSha);
  if (!mergeBase) return failure(404, `No common ancestor between ${basehead.slice(0, split)} and ${basehead.slice(split + 3)}.`, docs);
  const [ahead, behind, changes] = await Promise.all([git.commitsBetween(baseSha, headSha), git.commitsBetween(headSha, baseSha), git.changes(mergeBase, headSha)]);
  // With per_page or page the commits are paginated and the files come on the first page only; without, the first 250 commits.
  const paginated = request.query.has("per_page") || request.query.has("page");
  const { page, headers } = paginated ? paginate(request, ahead) : { page: ahead.slice(0, limits.compareCommits), headers: {} };
  const firstPage = !paginated || (request.query.get("page") ?? "1") === "1";
  const [base, mergeBaseCommit, ...listed] = await git.commits([baseSha, mergeBase, ...page]);
  const toObject = (c: NonNullable<typeof base>): Json => commitObject(site, c, context.loginOf);
  const repo = repositoryPath(context);
  const web = `${site.web}/${site.owner}/${site.name}`;
  const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const body: Json = {
    url: `${repo}/compare/${basehead}`,
    html_url: `${web}/compare/${basehead}`,
    permalink_url: `${web}/compare/${site.owner}:${baseSha.slice(0, 7)}...${site.owner}:${headSha.slice(0, 7)}`,
    diff_url: `${web}/compare/${basehead}.diff`,
    patch_url: `${web}/compare/${basehead}.patch`,
    base_commit: base && toObject(base),
    merge_base_commit: mergeBaseCommit && toObject(mergeBaseCommit),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits: listed.map(toObject),
  };
  if (firstPage) {
    body.files = changes.slice(0, limits.compareFiles).map((change) => {
      const additions = change.additions ?? 0;
      const deletions = change.deletions ?? 0;
      const path = encodeURI(change.path);
      const entry: Json = {
        sha: change.sha,
        filename: change.path,
        status: change.status,
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `${web}/blob/${headSha}/${path}`,
        raw_url: `${web}/raw/${headSha}/${path}`,
        contents_url: `${repo}/contents/${path}?ref=${headSha}`,
      };
      if (change.previousPath !== undefined) entry.previous_filename = change.previousPath;
      return entry;
    });
  }
  return json(200, body, headers);
}

function treeEntry(context: StandInContext, entry: GitTreeEntry): Json {
  const repo = repositoryPath(context);
  const out: Json = { path: entry.path, mode: entry.mode, type: entry.type, sha: entry.sha };
  if (entry.size !== undefined) out.size = entry.size;
  if (entry.type === "blob") out.url = `${repo}/git/blobs/${entry.sha}`;
  if (entry.type === "tree") out.url = `${repo}/git/trees/${entry.sha}`;
  return out;
}

async function tree(request: RouteRequest, context: StandInContext) {
  const treeSha = await context.git.resolveTree(request.params.tree_sha ?? "");
  if (!treeSha) return notFound("https://docs.github.com/rest/git/trees#get-a-tree");
  // GitHub recurses when the parameter is present, whatever its value ("0" and "false" included).
  const entries = await context.git.tree(treeSha, request.query.has("recursive"));
  const limit = context.limits.treeEntries;
  return json(200, {
    sha: treeSha,
    url: `${repositoryPath(context)}/git/trees/${treeSha}`,
    tree: entries.slice(0, limit).map((e) => treeEntry(context, e)),
    truncated: entries.length > limit,
  });
}

async function blob(request: RouteRequest, context: StandInContext) {
  const sha = (request.params.file_sha ?? "").toLowerCase();
  const object = (await context.git.objects([sha])).get(sha);
  if (object?.type !== "blob") return notFound("https://docs.github.com/rest/git/blobs#get-a-blob");
  if (wantsRaw(request)) return { status: 200, raw: { content: object.content, contentType: RAW_CONTENT_TYPE } };
  return json(200, {
    sha,
    node_id: nodeId("Blob", stableId(`blob:${sha}`)),
    size: object.size,
    url: `${repositoryPath(context)}/git/blobs/${sha}`,
    content: githubBase64(object.content),
    encoding: "base64",
  });
}

async function contents(request: RouteRequest, context: StandInContext) {
  const { site, git } = context;
  const docs = "https://docs.github.com/rest/repos/contents#get-repository-content";
  const path = (request.params.path ?? "").replace(/^\/+|\/+$/g, "");
  const commit = await git.resolveCommit(request.query.get("ref") ?? site.defaultBranch);
  if (!commit) return failure(404, `No commit found for the ref ${request.query.get("ref") ?? site.defaultBranch}`, docs);
  const [header] = await git.headers([path === "" ? `${commit}^{tree}` : `${commit}:${path}`]);
  if (!header) return notFound(docs);
  const repo = repositoryPath(context);
  const ref = request.query.get("ref") ?? site.defaultBranch;
  const describe = (entryPath: string, sha: string, type: string, size: number): Json => {
    const self = `${repo}/contents/${encodeURI(entryPath)}?ref=${encodeURIComponent(ref)}`;
    const html = `${site.web}/${site.owner}/${site.name}/${type === "dir" ? "tree" : "blob"}/${ref}/${encodeURI(entryPath)}`;
    const gitUrl = type === "dir" ? `${repo}/git/trees/${sha}` : `${repo}/git/blobs/${sha}`;
    const download = type === "file" ? `${site.web}/${site.owner}/${site.name}/raw/${ref}/${encodeURI(entryPath)}` : null;
    return {
      type,
      size,
      name: entryPath.split("/").pop() ?? entryPath,
      path: entryPath,
      sha,
      url: self,
      git_url: gitUrl,
      html_url: html,
      download_url: download,
      _links: { self, git: gitUrl, html },
    };
  };
  if (header.type === "tree") {
    const entries = await git.tree(header.sha, false);
    const kinds: Record<GitTreeEntry["type"], string> = { blob: "file", tree: "dir", commit: "submodule" };
    return json(
      200,
      entries.map((e) => describe(path === "" ? e.path : `${path}/${e.path}`, e.sha, e.mode === "120000" ? "symlink" : kinds[e.type], e.size ?? 0)),
    );
  }
  if (header.type !== "blob") return notFound(docs);
  const object = (await git.objects([header.sha])).get(header.sha);
  if (!object) return notFound(docs);
  if (wantsRaw(request)) return { status: 200, raw: { content: object.content, contentType: RAW_CONTENT_TYPE } };
  const inline = object.size <= CONTENTS_INLINE_LIMIT;
  return json(200, { ...describe(path, header.sha, "file", object.size), content: inline ? githubBase64(object.content) : "", encoding: inline ? "base64" : "none" });
}

export const gitDataRoutes: Route[] = [
  { method: "GET", template: "/repos/{owner}/{repo}/compare/{basehead}", auth: "installation", handle: compare },
  { method: "GET", template: "/repos/{owner}/{repo}/git/trees/{tree_sha}", auth: "installation", handle: tree },
  { method: "GET", template: "/repos/{owner}/{repo}/git/blobs/{file_sha}", auth: "installation", handle: blob },
  { method: "GET", template: "/repos/{owner}/{repo}/contents/{path}", auth: "installation", handle: contents },
];
