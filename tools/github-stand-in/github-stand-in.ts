import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { FaultPlan, DEFAULT_HANG_MS, type CountedFault, type Fault } from "./faults.js";
import { GitRepository } from "./git-repository.js";
import { noreplyLogin, repositoryObject, stableId, timestamp, userObject, type AppIdentity, type Json, type Site } from "./github-objects.js";
import { executeGraphQL } from "./graphql-execution.js";
import { invalidRequestMessage, matchRestOperation, requestBodyValidator, restOperation } from "./rest-description.js";
import { appRoutes, newInstallationToken } from "./routes/apps.js";
import { checkRoutes } from "./routes/checks.js";
import { gitDataRoutes } from "./routes/git-data.js";
import { issueCommentRoutes } from "./routes/issue-comments.js";
import { authorAssociation, pullRequestObject, pullRequestShas, pullRoutes } from "./routes/pulls.js";
import { DEFAULT_LIMITS, failure, json, type Route, type RouteResponse, type StandInContext, type StandInLimits } from "./routes/route.js";
import {
  StandInState,
  type PullRequestSetup,
  type RepositoryRole,
  type ReviewState,
  type StoredCheckRun,
  type StoredComment,
  type StoredPullRequest,
  type StoredReview,
} from "./stand-in-state.js";

export interface GitHubStandInOptions {
  /** A local git repository (bare or not); its branches are the repository's branches. */
  repository: string;
  owner?: string;
  name?: string;
  ownerType?: "Organization" | "User";
  defaultBranch?: string;
  installationId?: number;
  /** Further installation ids that may have tokens for the repository: several installations' lanes on one stand-in. */
  moreInstallations?: readonly number[];
  app?: Partial<AppIdentity>;
  /** "required" (default): app routes need a JWT, the others an installation token the stand-in issued. */
  auth?: "required" | "none";
  limits?: Partial<StandInLimits>;
  /** The clock of created_at, submitted_at, expires_at… (default: the real one). */
  now?: () => Date;
}

export interface RecordedCall {
  seq: number;
  method: string;
  /** The path as requested, without the query and without GitHub Enterprise's /api/v3 prefix (/api/graphql is /graphql). */
  path: string;
  query: string;
  /** "GET /repos/{owner}/{repo}/git/trees/{tree_sha}", or null for a path the stand-in does not serve. */
  route: string | null;
  /** 0 when no answer was given (a hang or a destroyed socket). */
  status: number;
  /** performance.now() when the request arrived and when its connection finished answering. */
  start: number;
  end: number;
  fault?: CountedFault["kind"];
  /** The installation whose token made the call (undefined for app and unauthenticated calls). */
  installation?: number;
  /** The parsed JSON body of a write. */
  body?: unknown;
  /** The GitHub operation of an unserved path, to say what is missing. */
  unserved?: string;
}

const graphqlRoute: Route = {
  method: "POST",
  template: "/graphql",
  auth: "installation",
  handle: async (request, context) =>
    json(
      200,
      await executeGraphQL(request.body, { site: context.site, git: context.git, blobTextLimit: context.limits.blobText, rateLimitReset: context.rateLimitReset }),
    ),
};

/** Every route the stand-in serves, as "METHOD /templated/path". */
export const ROUTES: readonly Route[] = [...appRoutes, ...gitDataRoutes, ...pullRoutes, ...checkRoutes, ...issueCommentRoutes, graphqlRoute];

function matchRoute(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = pathname.split("/");
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const parts = route.template.split("/");
    const greedy = parts[parts.length - 1] === "{path}";
    if (greedy ? segments.length < parts.length : segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part === segments[i];
      const raw = name === "path" && greedy && i === parts.length - 1 ? segments.slice(i).join("/") : (segments[i] ?? "");
      if (raw === "") return false;
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        return false;
      }
      return true;
    });
    if (fits) return { route, params };
  }
  return undefined;
}

/**
 * The API path of a request: GitHub Enterprise Server's prefixes are taken off, so a client
 * configured with GHE_HOST (REST under /api/v3, GraphQL at /api/graphql, as Probot and Octokit
 * call an Enterprise host) reaches the same routes as one calling the stand-in like api.github.com.
 */
function apiPath(pathname: string): string {
  if (pathname === "/api/graphql") return "/graphql";
  return pathname.startsWith("/api/v3/") ? pathname.slice("/api/v3".length) : pathname;
}

function isJwt(token: string): boolean {
  const parts = token.split(".");
  return parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p));
}

/**
 * A stand-in for GitHub's API, backed by a local git repository, for tests, the demo and the
 * benchmarks. It serves the REST and GraphQL calls meshgate makes with GitHub's response shapes,
 * keeps check runs, comments and reactions in memory, validates every request body against
 * GitHub's REST description, records every call, and answers with injected latency and faults.
 */
export class GitHubStandIn {
  readonly git: GitRepository;
  readonly site: Site;
  /** Mutable: a test may lower a limit (say treeEntries) to see the client fail closed. */
  readonly limits: StandInLimits;
  private readonly state = new StandInState();
  private readonly faults = new FaultPlan();
  private readonly recorded: RecordedCall[] = [];
  private readonly failures: Error[] = [];
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly context: StandInContext;
  private readonly rateLimit = { core: 0, graphql: 0 };
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: GitHubStandInOptions,
    readonly url: string,
  ) {
    this.git = new GitRepository(options.repository);
    const owner = options.owner ?? "acme";
    const name = options.name ?? "shop";
    this.site = {
      api: url,
      web: "https://github.com",
      owner,
      ownerType: options.ownerType ?? "Organization",
      name,
      repositoryId: stableId(`repo:${owner}/${name}`),
      defaultBranch: options.defaultBranch ?? "main",
      installationId: options.installationId ?? 1_000_001,
      moreInstallations: options.moreInstallations ?? [],
      app: { id: options.app?.id ?? 1, slug: options.app?.slug ?? "meshgate", name: options.app?.name ?? "meshgate" },
    };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const now = options.now ?? (() => new Date());
    this.context = {
      site: this.site,
      git: this.git,
      state: this.state,
      limits: this.limits,
      now,
      rateLimitReset: new Date(now().getTime() + 3_600_000),
      loginOf: (email) => this.state.emailLogins.get(email.toLowerCase()) ?? noreplyLogin(email),
    };
  }

  /** Starts a stand-in on 127.0.0.1 and an ephemeral port. */
  static async start(options: GitHubStandInOptions): Promise<GitHubStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        resolve();
      });
    });
    // GitHub's REST description is read and the body schemas compiled now, not during the first timed call.
    for (const route of ROUTES) if (route.template !== "/graphql") requestBodyValidator(route.method, route.template);
    const { port } = server.address() as AddressInfo;
    const standIn = new GitHubStandIn(server, options, `http://127.0.0.1:${port}`);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void standIn.serve(req, res);
    });
    return standIn;
  }

  get owner(): string {
    return this.site.owner;
  }
  get name(): string {
    return this.site.name;
  }
  get installationId(): number {
    return this.site.installationId;
  }
  get appId(): number {
    return this.site.app.id;
  }
  /** The login of the app's bot, the author of what the app posts. */
  get botLogin(): string {
    return `${this.site.app.slug}[bot]`;
  }

  /** Every call so far, in arrival order. */
  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }
  get checkRuns(): readonly StoredCheckRun[] {
    return this.state.checkRuns;
  }
  get comments(): readonly StoredComment[] {
    return this.state.comments;
  }
  get reviews(): readonly StoredReview[] {
    return this.state.reviews;
  }
  get pullRequests(): readonly StoredPullRequest[] {
    return [...this.state.pulls.values()];
  }
  /** Exceptions thrown by route handlers (answered 500): a test can assert there were none. */
  get errors(): readonly Error[] {
    return this.failures;
  }

  resetCalls(): void {
    this.recorded.length = 0;
  }

  addPullRequest(setup: PullRequestSetup): StoredPullRequest {
    if (!Number.isInteger(setup.number) || setup.number < 1) throw new RangeError("a pull request number is a positive integer");
    const pr: StoredPullRequest = {
      title: `Pull request #${setup.number}`,
      body: "",
      draft: false,
      state: "open",
      ...setup,
      id: this.state.nextId("pull"),
      createdAt: timestamp(this.context.now()),
    };
    this.state.pulls.set(pr.number, pr);
    return pr;
  }

  /** A review on the pull request's current head (or `commitId`). */
  async addReview(review: { pull: number; user: string; state: ReviewState; body?: string; commitId?: string }): Promise<StoredReview> {
    const pr = this.state.pulls.get(review.pull);
    if (!pr) throw new Error(`no pull request #${review.pull}`);
    const stored: StoredReview = {
      id: this.state.nextId("review"),
      pullNumber: pr.number,
      user: review.user,
      state: review.state,
      body: review.body ?? "",
      commitId: review.commitId ?? (await pullRequestShas(this.context, pr)).head,
      submittedAt: timestamp(this.context.now()),
    };
    this.state.reviews.push(stored);
    return stored;
  }

  dismissReview(id: number): StoredReview {
    const review = this.state.reviews.find((r) => r.id === id);
    if (!review) throw new Error(`no review ${id}`);
    review.state = "DISMISSED";
    return review;
  }

  /** A comment written by a person (a command, say); the app's own comments come through the API. */
  addComment(comment: { issue: number; user: string; body: string }): StoredComment {
    if (!this.state.pulls.has(comment.issue)) throw new Error(`no pull request #${comment.issue}`);
    const now = timestamp(this.context.now());
    const stored: StoredComment = { id: this.state.nextId("comment"), issueNumber: comment.issue, user: comment.user, body: comment.body, createdAt: now, updatedAt: now, edits: [], reactions: [] };
    this.state.comments.push(stored);
    return stored;
  }

  /** A user's role on the repository; "*" sets everyone's (default "none"). The owner is admin. */
  setPermission(user: string, role: RepositoryRole): void {
    this.state.permissions.set(user.toLowerCase(), role);
  }

  /** setTeam("acme/security", ["sam"]). */
  setTeam(team: string, members: string[]): void {
    if (!/^[^/]+\/[^/]+$/.test(team)) throw new Error(`a team is "org/slug", not "${team}"`);
    this.state.teams.set(team.toLowerCase(), [...members]);
  }

  /** Commits by this email are by this GitHub user (noreply addresses map by themselves). */
  setEmailLogin(email: string, login: string): void {
    this.state.emailLogins.set(email.toLowerCase(), login);
  }

  /** An installation token, for a client that skips the JWT exchange. */
  issueToken(): string {
    return newInstallationToken(this.context);
  }

  /** inject("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {kind: "server-error", times: 2}); route "*" is every route. */
  inject(route: string, fault: Fault): void {
    if (route !== "*" && !ROUTES.some((r) => `${r.method} ${r.template}` === route)) {
      throw new Error(`the stand-in serves no route "${route}"; it serves:\n${ROUTES.map((r) => `${r.method} ${r.template}`).join("\n")}`);
    }
    this.faults.add(route, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** A pull request as the REST API returns it, for webhook payloads. */
  async pullRequestObject(number: number): Promise<Json> {
    const pr = this.state.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number}`);
    return pullRequestObject(this.context, pr);
  }

  repositoryObject(): Json {
    return repositoryObject(this.site);
  }

  userObject(login: string): Json {
    return userObject(this.site, login);
  }

  /** OWNER, MEMBER, COLLABORATOR or NONE, from the permissions set. */
  authorAssociation(login: string): string {
    return authorAssociation(this.context, login);
  }

  /** Stops answering, cuts hanging and waiting calls, and closes every connection. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const waiting of [...this.timers]) waiting.resolve();
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  /** Resolves after `ms`, or at once when the stand-in closes or `socket` (the caller's connection) closes. */
  private sleep(ms: number, socket?: Socket): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(entry.timer);
        this.timers.delete(entry);
        socket?.off("close", finish);
        resolve();
      };
      const entry = { timer: setTimeout(finish, ms), resolve: finish };
      this.timers.add(entry);
      socket?.once("close", finish);
    });
  }

  private async readBody(req: IncomingMessage): Promise<Buffer | "too large"> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > this.limits.requestBody) return "too large";
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", this.url);
    const call: RecordedCall = { seq: this.recorded.length + 1, method, path: apiPath(url.pathname), query: url.search.replace(/^\?/, ""), route: null, status: 0, start, end: start };
    this.recorded.push(call);
    res.on("close", () => {
      call.end = performance.now();
    });
    try {
      const answer = await this.answer(req, call, url);
      if (answer) this.send(res, call, answer.response, answer.resource);
    } catch (error) {
      this.failures.push(error instanceof Error ? error : new Error(String(error)));
      this.send(res, call, failure(500, `The stand-in failed: ${error instanceof Error ? error.message : String(error)}`), "core");
    }
  }

  /** The answer to a call; undefined when a fault leaves it unanswered or the stand-in is closing. */
  private async answer(req: IncomingMessage, call: RecordedCall, url: URL): Promise<{ response: RouteResponse; resource: "core" | "graphql" } | undefined> {
    const raw = await this.readBody(req);
    const matched = matchRoute(call.method, call.path);
    if (!matched) {
      const operation = matchRestOperation(call.method, call.path);
      if (operation) call.unserved = `${operation.method} ${operation.template}`;
      return { response: failure(404, "Not Found"), resource: "core" };
    }
    const { route, params } = matched;
    const key = `${route.method} ${route.template}`;
    call.route = key;
    const installation = this.installationOf(req);
    if (installation !== undefined) call.installation = installation;
    const resource = route.template === "/graphql" ? "graphql" : "core";
    const refuse = (response: RouteResponse) => ({ response, resource }) as const;
    await this.sleep(this.faults.latencyOf(key), req.socket);
    if (this.closing || req.socket.destroyed) return undefined;
    const fault = this.faults.take(key);
    if (fault?.kind === "lost-answer") {
      call.fault = fault.kind;
      await this.handle({ req, call, url, raw, route, params });
      void this.sleep(fault.ms ?? DEFAULT_HANG_MS, req.socket).then(() => req.socket.destroy());
      return undefined;
    }
    if (fault) {
      call.fault = fault.kind;
      const response = this.faultAnswer(req, call, fault, resource);
      return response && refuse(response);
    }
    return refuse(await this.handle({ req, call, url, raw, route, params }));
  }

  /** A call past its faults: checked as GitHub checks it (size, repository, credentials, body), then served. */
  private async handle(params: { req: IncomingMessage; call: RecordedCall; url: URL; raw: Buffer | "too large"; route: Route; params: Record<string, string> }): Promise<RouteResponse> {
    const { req, call, url, raw, route } = params;
    if (raw === "too large") return failure(413, "Request body too large");
    const { owner, repo } = params.params;
    if ((owner !== undefined && owner.toLowerCase() !== this.site.owner.toLowerCase()) || (repo !== undefined && repo.toLowerCase() !== this.site.name.toLowerCase())) {
      return failure(404, "Not Found");
    }
    const unauthorized = this.authenticate(req, route);
    if (unauthorized) return unauthorized;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return failure(400, "Problems parsing JSON");
      }
    }
    if (call.method !== "GET") call.body = body;
    const invalid = route.template === "/graphql" ? undefined : this.validateBody(route, body);
    if (invalid) return invalid;
    return route.handle({ method: call.method, params: params.params, query: url.searchParams, body, headers: req.headers, url, actor: this.botLogin }, this.context);
  }

  private authenticate(req: IncomingMessage, route: Route): RouteResponse | undefined {
    if (this.options.auth === "none") return undefined;
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!match?.[1]) return failure(401, "Requires authentication");
    const credential = match[1];
    if (route.auth === "app") {
      return isJwt(credential) ? undefined : failure(401, "A JSON web token could not be decoded", "https://docs.github.com/rest");
    }
    return this.state.tokens.has(credential) ? undefined : failure(401, "Bad credentials");
  }

  /** The installation of the request's token, if it carries one the stand-in issued. */
  private installationOf(req: IncomingMessage): number | undefined {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    return match?.[1] === undefined ? undefined : this.state.tokens.get(match[1]);
  }

  /** GitHub's 422 for a body its REST description refuses. */
  private validateBody(route: Route, body: unknown): RouteResponse | undefined {
    const schema = requestBodyValidator(route.method, route.template);
    if (!schema || (body === undefined && !schema.required)) return undefined;
    if (schema.validate(body ?? null)) return undefined;
    const operation = restOperation(route.method, route.template);
    return failure(422, invalidRequestMessage(schema.validate.errors ?? [], body ?? null), operation?.documentationUrl);
  }

  private rateLimitHeaders(resource: "core" | "graphql", remaining?: number, reset?: Date): Record<string, string> {
    const used = ++this.rateLimit[resource];
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(remaining ?? Math.max(0, 5000 - used)),
      "x-ratelimit-reset": String(Math.floor((reset ?? this.context.rateLimitReset).getTime() / 1000)),
      "x-ratelimit-used": String(remaining === 0 ? 5000 : used),
      "x-ratelimit-resource": resource,
    };
  }

  /** GitHub's answer under a fault; undefined for a hang or a cut connection. */
  private faultAnswer(req: IncomingMessage, call: RecordedCall, fault: CountedFault, resource: "core" | "graphql"): RouteResponse | undefined {
    switch (fault.kind) {
      case "server-error": {
        const status = fault.status ?? 502;
        const messages: Record<number, string> = { 500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
        return failure(status, messages[status] ?? "Server Error");
      }
      case "secondary-rate-limit": {
        const answer = failure(
          403,
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID STANDIN:${call.seq}.`,
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        );
        answer.headers = { "retry-after": String(fault.retryAfterSeconds ?? 1) };
        return answer;
      }
      case "rate-limit": {
        const reset = new Date(this.context.now().getTime() + 1000 * (fault.resetInSeconds ?? 1));
        const answer = failure(403, `API rate limit exceeded for installation ID ${this.site.installationId}.`, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
        answer.headers = this.rateLimitHeaders(resource, 0, reset);
        return answer;
      }
      case "hang":
        void this.sleep(fault.ms ?? DEFAULT_HANG_MS, req.socket).then(() => req.socket.destroy());
        return undefined;
      case "destroy":
        req.socket.destroy();
        return undefined;
    }
  }

  private send(res: ServerResponse, call: RecordedCall, answer: RouteResponse, resource: "core" | "graphql"): void {
    if (res.destroyed || res.headersSent) return;
    call.status = answer.status;
    if (answer.status === 204) {
      res.writeHead(204, { "x-github-request-id": `STANDIN:${call.seq}`, ...this.rateLimitHeaders(resource), ...answer.headers });
      res.end();
      return;
    }
    const payload = answer.raw ? answer.raw.content : JSON.stringify(answer.body ?? null);
    res.writeHead(answer.status, {
      "content-type": answer.raw ? answer.raw.contentType : "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-github-request-id": `STANDIN:${call.seq}`,
      ...this.rateLimitHeaders(resource),
      ...answer.headers,
    });
    res.end(payload);
  }
}

/** Starts a stand-in; see GitHubStandIn. */
export function startGitHubStandIn(options: GitHubStandInOptions): Promise<GitHubStandIn> {
  return GitHubStandIn.start(options);
}

