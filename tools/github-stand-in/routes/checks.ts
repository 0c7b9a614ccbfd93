import { appObject, nodeId, stableId, timestamp, type Json } from "../github-objects.js";
import type { CheckRunAnnotation, StoredCheckRun } from "../stand-in-state.js";
import { pullRequestShas } from "./pulls.js";
import { failure, integerParam, json, notFound, paginate, repositoryPath, type Route, type RouteRequest, type RouteResponse, type StandInContext } from "./route.js";

const CREATE_DOCS = "https://docs.github.com/rest/checks/runs#create-a-check-run";
const UPDATE_DOCS = "https://docs.github.com/rest/checks/runs#update-a-check-run";

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: StoredCheckRun["status"];
  started_at?: string;
  conclusion?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: CheckRunAnnotation[] };
}

/** The open pull requests of the repository (not forks: GitHub leaves those out) whose head is `sha`. */
async function pullRequestsAt(context: StandInContext, sha: string): Promise<Json[]> {
  const repo = repositoryPath(context);
  const repoRef = { id: context.site.repositoryId, url: repo, name: context.site.name };
  const found: Json[] = [];
  for (const pr of context.state.pulls.values()) {
    if (pr.state !== "open" || pr.headRepository) continue;
    const shas = await pullRequestShas(context, pr);
    if (shas.head !== sha) continue;
    found.push({ id: pr.id, number: pr.number, url: `${repo}/pulls/${pr.number}`, head: { ref: pr.head, sha: shas.head, repo: repoRef }, base: { ref: pr.base, sha: shas.base, repo: repoRef } });
  }
  return found;
}

export async function checkRunObject(context: StandInContext, run: StoredCheckRun): Promise<Json> {
  const { site } = context;
  const url = `${repositoryPath(context)}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.headSha,
    external_id: run.externalId ?? "",
    url,
    html_url: `${site.web}/${site.owner}/${site.name}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${site.web}/apps/${site.app.slug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: stableId(`suite:${run.headSha}`) },
    app: appObject(site),
    pull_requests: await pullRequestsAt(context, run.headSha),
  };
}

/**
 * Applies a create or update body to a run, with GitHub's rules beyond the schema: a conclusion
 * completes the run; "completed" needs a conclusion; only GitHub sets "stale"; annotations accumulate.
 */
function apply(context: StandInContext, run: StoredCheckRun, body: CheckRunBody, docs: string): RouteResponse | undefined {
  if (body.conclusion === "stale") return failure(422, "Invalid request.\n\nOnly GitHub can set the conclusion stale.", docs);
  const conclusion = body.conclusion ?? run.conclusion;
  if ((body.status === "completed" || body.completed_at !== undefined) && conclusion === null) {
    return failure(422, "Invalid request.\n\n`conclusion` must be supplied when `status` is `completed` or `completed_at` is given.", docs);
  }
  const now = timestamp(context.now());
  if (body.name !== undefined) run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = timestamp(body.started_at);
  if (body.status !== undefined) run.status = body.status;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") run.completedAt = body.completed_at !== undefined ? timestamp(body.completed_at) : (run.completedAt ?? now);
  if (body.output) {
    run.output = { title: body.output.title ?? null, summary: body.output.summary ?? null, text: body.output.text ?? run.output.text };
    run.annotations.push(...(body.output.annotations ?? []));
  }
  run.requests.push(structuredClone(body));
  return undefined;
}

function runOf(request: RouteRequest, context: StandInContext): StoredCheckRun | undefined {
  const id = integerParam(request.params.check_run_id);
  return context.state.checkRuns.find((r) => r.id === id);
}

export const checkRoutes: Route[] = [
  {
    method: "POST",
    template: "/repos/{owner}/{repo}/check-runs",
    auth: "installation",
    handle: async (request, context) => {
      const body = request.body as CheckRunBody;
      const sha = body.head_sha ?? "";
      const commit = /^[0-9a-f]{40}$/.test(sha) ? await context.git.resolveCommit(sha) : null;
      if (!commit) return failure(422, `No commit found for SHA: ${sha}`, CREATE_DOCS);
      const run: StoredCheckRun = {
        id: context.state.nextId("checkRun"),
        name: body.name ?? "",
        headSha: commit,
        status: "queued",
        conclusion: null,
        startedAt: timestamp(context.now()),
        completedAt: null,
        detailsUrl: null,
        externalId: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
        requests: [],
      };
      const refused = apply(context, run, body, CREATE_DOCS);
      if (refused) return refused;
      context.state.checkRuns.push(run);
      return json(201, await checkRunObject(context, run));
    },
  },
  {
    method: "PATCH",
    template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    auth: "installation",
    handle: async (request, context) => {
      const run = runOf(request, context);
      if (!run) return notFound(UPDATE_DOCS);
      // Validated on a copy: a refused update changes nothing.
      const draft = structuredClone(run);
      const refused = apply(context, draft, request.body as CheckRunBody, UPDATE_DOCS);
      if (refused) return refused;
      Object.assign(run, draft);
      return json(200, await checkRunObject(context, run));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
    auth: "installation",
    handle: async (request, context) => {
      const run = runOf(request, context);
      return run ? json(200, await checkRunObject(context, run)) : notFound("https://docs.github.com/rest/checks/runs#get-a-check-run");
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
    auth: "installation",
    handle: (request, context) => {
      const run = runOf(request, context);
      if (!run) return Promise.resolve(notFound("https://docs.github.com/rest/checks/runs#list-check-run-annotations"));
      const { site } = context;
      const { page, headers } = paginate(request, run.annotations);
      const body = page.map((a) => ({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
        blob_href: `${site.web}/${site.owner}/${site.name}/blob/${run.headSha}/${encodeURI(a.path)}`,
      }));
      return Promise.resolve(json(200, body, headers));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
    auth: "installation",
    handle: async (request, context) => {
      const ref = request.params.ref ?? "";
      const sha = await context.git.resolveCommit(ref);
      if (!sha) return failure(422, `No commit found for SHA: ${ref}`, "https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference");
      const name = request.query.get("check_name");
      const status = request.query.get("status");
      const appId = request.query.get("app_id");
      let runs = context.state.checkRuns.filter(
        (r) => r.headSha === sha && (name === null || r.name === name) && (status === null || r.status === status) && (appId === null || Number(appId) === context.site.app.id),
      );
      // filter=latest (the default): the most recent run of each name.
      if (request.query.get("filter") !== "all") runs = runs.filter((r) => !runs.some((other) => other.name === r.name && other.id > r.id));
      runs = [...runs].sort((a, b) => b.id - a.id);
      const { page, headers } = paginate(request, runs);
      return json(200, { total_count: runs.length, check_runs: await Promise.all(page.map((r) => checkRunObject(context, r))) }, headers);
    },
  },
];
