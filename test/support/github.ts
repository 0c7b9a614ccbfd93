import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import nock from "nock";
import { Probot, ProbotOctokit, type Context } from "probot";

/** A webhook event name as Probot types it ("pull_request", "issue_comment", …). */
export type EventName = Context["name"];
/** The payload Probot hands a handler for that event (every action of it). */
export type EventPayload<E extends EventName> = Context<E>["payload"];

const require = createRequire(import.meta.url);

// Loaded through require: the package is a JSON file whose typings declare an ESM default export.
const examples = require("@octokit/webhooks-examples") as { name: string; examples: unknown[] }[];

const privateKey = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/**
 * A real Probot with a generated key (appId 1) and Octokit's retry and throttling off: the
 * object form of `throttle` would keep throttling on and make every write wait a second.
 */
export function testProbot(): Probot {
  return new Probot({
    appId: 1,
    privateKey,
    secret: "test-secret",
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object | undefined), enabled: false },
    })),
  });
}

/** An installation-token Octokit like the one a handler gets, retry and throttling off, for adapter unit tests. */
export function testOctokit(): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } });
}

/**
 * A deep clone of a real example payload from @octokit/webhooks-examples for `event` (the
 * first one `match` accepts), so a test adapts a real payload instead of inventing one.
 */
export function payload<E extends EventName>(event: E, match: (p: EventPayload<E>) => boolean = () => true): EventPayload<E> {
  const definition = examples.find((d) => d.name === event);
  if (!definition) throw new Error(`no webhook examples for "${event}"`);
  const found = (definition.examples as unknown as EventPayload<E>[]).find(match);
  if (!found) throw new Error(`no "${event}" example matches`);
  return structuredClone(found);
}

interface OpenApiOperation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
}

const DOCUMENT_ID = "https://api.github.com/openapi.json";
let githubApi: { document: OpenApiDocument; ajv: Ajv } | undefined;

/** GitHub's REST description, read once per test process (it is large). */
function openApi(): { document: OpenApiDocument; ajv: Ajv } {
  if (githubApi) return githubApi;
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const document = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
  // OpenAPI schemas carry keywords ajv does not know (example, x-github, discriminator):
  // strict off. The document is registered once; each body schema is compiled by reference
  // so its $refs resolve against the document's components.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false });
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat("date", /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat("uri", { validate: (s: string) => URL.canParse(s) });
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  for (const format of ["int64", "int32", "double", "repo.nwo", "binary", "uri-template", "timestamp"]) ajv.addFormat(format, true);
  ajv.addSchema(document, DOCUMENT_ID);
  githubApi = { document, ajv };
  return githubApi;
}

const compiled = new Map<string, { validate: ValidateFunction; required: boolean } | undefined>();

/** The templated path of GitHub's description that `path` (templated or concrete, query ignored) names. */
function templatedPath(document: OpenApiDocument, method: string, path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  if (document.paths[bare]?.[method]) return bare;
  const segments = bare.split("/");
  return Object.keys(document.paths).find((template) => {
    if (!document.paths[template]?.[method]) return false;
    const parts = template.split("/");
    return parts.length === segments.length && parts.every((part, i) => part === segments[i] || (/^\{[^}]+\}$/.test(part) && segments[i] !== ""));
  });
}

/**
 * Validates a request body against GitHub's REST description (@octokit/openapi): the
 * operation is found by method and path (templated, e.g. "/repos/{owner}/{repo}/check-runs",
 * or concrete), and its application/json request schema is compiled with ajv.
 * Returns the errors, [] when the body is valid.
 */
export function validateRequestBody(method: string, path: string, body: unknown): string[] {
  const { document, ajv } = openApi();
  const verb = method.toLowerCase();
  const template = templatedPath(document, verb, path);
  if (template === undefined) return [`${method.toUpperCase()} ${path}: no such operation in GitHub's REST description`];
  const key = `${verb} ${template}`;
  if (!compiled.has(key)) {
    const requestBody = document.paths[template]?.[verb]?.requestBody;
    const schema = requestBody?.content?.["application/json"]?.schema;
    const pointer = ["paths", template, verb, "requestBody", "content", "application/json", "schema"]
      .map((part) => encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1")))
      .join("/");
    compiled.set(key, schema === undefined ? undefined : { validate: ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` }), required: requestBody?.required === true });
  }
  const operation = compiled.get(key);
  if (!operation) return body === undefined ? [] : [`${key}: the operation takes no JSON body`];
  if (body === undefined) return operation.required ? [`${key}: a body is required`] : [];
  const { validate } = operation;
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${key}: body${e.instancePath} ${e.message ?? "is invalid"}${"allowedValues" in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ""}`);
}

export interface RecordedRequest {
  method: string;
  /** The path as sent, query included. */
  path: string;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

export interface GitHubMock {
  /** Register interceptors here, e.g. `mock.scope.post("/repos/o/r/check-runs").reply(201, {id: 1})`. */
  scope: nock.Scope;
  /** Every request the scope answered, in order, with its parsed body. */
  requests: RecordedRequest[];
  /** Throws when a mock is still pending, a request matched nothing, or a body sent did not validate. */
  done(): void;
}

const unmatched: string[] = [];
const liveMocks = new Set<{ problems(): string[] }>();

/** Installed once by test/setup.ts: every request no interceptor answered is recorded, so the test fails. */
export function recordUnmatchedRequests(): void {
  nock.emitter.on("no match", (req: { method?: string; path?: string; href?: string; host?: string }) => {
    unmatched.push(`${req.method ?? "?"} ${req.href ?? `${req.host ?? ""}${req.path ?? ""}`}`);
  });
}

/** Called after each test by test/setup.ts: what went wrong with the mocks of that test, then a clean slate. */
export function collectMockProblems(): string[] {
  const problems = [...unmatched.splice(0).map((r) => `request matched no mock: ${r}`)];
  for (const mock of liveMocks) problems.push(...mock.problems());
  liveMocks.clear();
  problems.push(...nock.pendingMocks().map((m) => `mock left pending: ${m}`));
  nock.cleanAll();
  return [...new Set(problems)];
}

/**
 * A nock scope for https://api.github.com that validates every JSON body sent to it against
 * GitHub's REST description (GraphQL bodies excepted: the REST description does not cover
 * them) and records the requests for assertions.
 */
export function mockGitHub(): GitHubMock {
  const scope = nock("https://api.github.com");
  const requests: RecordedRequest[] = [];
  const invalid: string[] = [];
  scope.on("request", (req: { method: string; path: string }, _interceptor: unknown, rawBody: string) => {
    const body: unknown = rawBody === "" ? undefined : JSON.parse(rawBody);
    requests.push({ method: req.method, path: req.path, body });
    if (req.path.startsWith("/graphql")) return;
    // A body-less read needs no validating (and pagination follows /repositories/{id}/… links the description does not list).
    if (body !== undefined || ["POST", "PATCH", "PUT"].includes(req.method)) invalid.push(...validateRequestBody(req.method, req.path, body));
  });
  const problems = (): string[] => [...invalid, ...scope.pendingMocks().map((m) => `mock left pending: ${m}`)];
  liveMocks.add({ problems });
  return {
    scope,
    requests,
    done() {
      const found = [...problems(), ...unmatched.map((r) => `request matched no mock: ${r}`)];
      if (found.length > 0) throw new Error(`GitHub mock:\n${found.join("\n")}`);
    },
  };
}
