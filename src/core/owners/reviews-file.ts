import type { ReviewInputs } from "../evaluate.js";
import { parseYamlFile } from "../manifests/yaml-file.js";
import { compileSchema } from "../schema-check.js";
import type { Diagnostic } from "../types.js";

const login = { type: "string", minLength: 1 } as const;

/**
 * The JSON (or YAML) file `meshgate check --reviews` reads: the pull request's people and
 * reviews as GitHub reports them, so a whole verdict can be reproduced offline. Published as
 * `schemas/reviews.schema.json`.
 */
export const reviewsSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "meshgate reviews file (meshgate check --reviews)",
  type: "object",
  additionalProperties: false,
  required: ["author", "headSha", "commits", "reviews", "permissions", "teams"],
  properties: {
    author: { ...login, description: "The pull request's author (login)." },
    headSha: { type: "string", minLength: 1, description: "The head commit: with dismissStale only approvals on it count." },
    commits: {
      description: "The pull request's own commits; their authors and committers do not count for CHG-001.",
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["sha", "parents", "author", "committer"],
        properties: {
          sha: { type: "string", minLength: 1 },
          parents: { type: "integer", minimum: 0, description: "Number of parents: merge commits (2+) are ignored." },
          author: { type: ["string", "null"], description: "Login, or null when GitHub could not link the commit to an account." },
          committer: { type: ["string", "null"] },
        },
      },
    },
    reviews: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["reviewer", "state", "commitId", "submittedAt"],
        properties: {
          reviewer: login,
          state: { type: "string", enum: ["APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"] },
          commitId: { type: "string", minLength: 1 },
          submittedAt: { type: "string", minLength: 1, description: "ISO 8601, as GitHub gives it." },
        },
      },
    },
    permissions: {
      description: "Repository permission by login; only write, maintain and admin approvals count. A reviewer missing here is unknown: fails closed.",
      type: "object",
      additionalProperties: { type: "string", enum: ["admin", "maintain", "write", "triage", "read", "none"] },
    },
    teams: {
      description: "Members by team (`org/team`). A team missing here is unresolved, never empty: fails closed.",
      type: "object",
      additionalProperties: { type: "array", items: login },
    },
  },
} as const;

const checkReviews = compileSchema(reviewsSchema);

export function parseReviewsFile(file: string, text: string): { review?: ReviewInputs; diagnostics: Diagnostic[] } {
  const parsed = parseYamlFile(file, text);
  const document = parsed.documents[0];
  if (parsed.diagnostics.some((d) => d.severity === "error") || !document) {
    return { diagnostics: parsed.diagnostics.length > 0 ? parsed.diagnostics : [{ file, line: 1, severity: "error", message: "the reviews file is empty" }] };
  }
  const issues = checkReviews(document.value);
  if (issues.length > 0) {
    return { diagnostics: issues.map((issue) => ({ file, line: document.lineOf(issue.path), severity: "error" as const, message: `invalid reviews file: ${issue.message}` })) };
  }
  return { review: document.value as unknown as ReviewInputs, diagnostics: [] };
}
