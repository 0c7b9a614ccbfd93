import type { IncomingHttpHeaders } from "node:http";
import type { GitRepository } from "../git-repository.js";
import { userObject, type Json, type Site } from "../github-objects.js";
import type { StandInState } from "../stand-in-state.js";

export interface StandInLimits {
  /** Entries of a tree response before `truncated` (GitHub: 100,000). */
  treeEntries: number;
  /** Files of a compare response (GitHub: 300). */
  compareFiles: number;
  /** Commits of a compare response without pagination (GitHub: 250). */
  compareCommits: number;
  /** Commits listed for a pull request (GitHub: 250). */
  pullCommits: number;
  /** Bytes of Blob.text in GraphQL before isTruncated. */
  blobText: number;
  /** Characters of an issue comment body (GitHub: 65,536). */
  commentBody: number;
  /** Bytes of a request body read before answering 413. */
  requestBody: number;
}

export const DEFAULT_LIMITS: StandInLimits = {
  treeEntries: 100_000,
  compareFiles: 300,
  compareCommits: 250,
  pullCommits: 250,
  blobText: 10 * 1024 * 1024,
  commentBody: 65_536,
  requestBody: 16 * 1024 * 1024,
};

/** What a route handler may use. */
export interface StandInContext {
  site: Site;
  git: GitRepository;
  state: StandInState;
  limits: StandInLimits;
  now: () => Date;
  rateLimitReset: Date;
  /** The GitHub login a commit email belongs to, if any. */
  loginOf: (email: string) => string | undefined;
}

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (already validated against GitHub's description), or undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The absolute URL as the client sent it, for Link headers. */
  url: URL;
  /** Who is calling: the app's bot for an installation token. */
  actor: string;
}

export interface RouteResponse {
  status: number;
  /** JSON, unless `raw` is given. */
  body?: unknown;
  raw?: { content: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The templated path as GitHub's REST description spells it; {path} takes the rest of the URL. */
  template: string;
  /** app: a JWT; installation: an installation token. */
  auth: "app" | "installation";
  handle(request: RouteRequest, context: StandInContext): Promise<RouteResponse>;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RouteResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** GitHub's error body: message, documentation_url, and the status as a string. */
export function failure(status: number, message: string, documentationUrl = "https://docs.github.com/rest", extra?: Json): RouteResponse {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status), ...extra } };
}

export function notFound(documentationUrl?: string): RouteResponse {
  return failure(404, "Not Found", documentationUrl);
}

/** A path parameter that must be a positive integer (pull number, ids). */
export function integerParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * One page of a list, with GitHub's Link header (prev, next, last, first) built on the URL the
 * client called, so Octokit's paginate follows it.
 */
export function paginate<T>(request: RouteRequest, items: readonly T[], maxPerPage = 100): { page: T[]; headers: Record<string, string> } {
  const asked = Number(request.query.get("per_page") ?? "30");
  const perPage = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, maxPerPage) : 30;
  const askedPage = Number(request.query.get("page") ?? "1");
  const page = Number.isInteger(askedPage) && askedPage >= 1 ? askedPage : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const url = new URL(request.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

export function user(context: StandInContext, login: string): Json {
  return userObject(context.site, login);
}

export function repositoryPath(context: StandInContext): string {
  return `${context.site.api}/repos/${context.site.owner}/${context.site.name}`;
}
