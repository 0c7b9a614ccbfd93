import { CONFIG_PATH } from "../core/config/config.js";
import type { EvaluationInputs } from "../core/evaluate.js";
import { CODEOWNERS_PATHS } from "../core/owners/find-codeowners.js";
import { fetchWholeBlob } from "./gather-blobs.js";
import { CouldNotEvaluate, type GitHubClient, type RepoRef } from "./target.js";

export type Policy = EvaluationInputs["policy"];

const POLICY_PATHS = [CONFIG_PATH, ...CODEOWNERS_PATHS] as const;

interface PolicyNode {
  oid?: string;
  text?: string | null;
  isBinary?: boolean;
  isTruncated?: boolean;
}

/**
 * The config and the CODEOWNERS candidates at one commit (give it the base branch's tip, so a
 * pull request never judges itself by its own rules), in one GraphQL query. A path that does not
 * exist, or is not a file, is absent from the result.
 */
export async function gatherPolicy(params: { octokit: GitHubClient; repo: RepoRef; sha: string }): Promise<Policy> {
  const { octokit, repo, sha } = params;
  const declarations = POLICY_PATHS.map((_, i) => `$p${i}: String!`).join(", ");
  const fields = POLICY_PATHS.map((_, i) => `p${i}: object(expression: $p${i}) { ... on Blob { oid text isBinary isTruncated } }`).join("\n    ");
  // The commit itself too: were it unknown, every path would read as absent, and defaults
  // without CODEOWNERS would quietly stand in for the real policy.
  const query = `query($owner: String!, $name: String!, $commit: GitObjectID!, ${declarations}) {\n  repository(owner: $owner, name: $name) {\n    commit: object(oid: $commit) { oid }\n    ${fields}\n  }\n}`;
  const variables = Object.fromEntries(POLICY_PATHS.map((path, i) => [`p${i}`, `${sha}:${path}`]));
  const data = await octokit.graphql<{ repository: Record<string, PolicyNode | null> | null }>(query, { owner: repo.owner, name: repo.repo, commit: sha, ...variables });
  const repository = data.repository;
  if (repository === null) throw new CouldNotEvaluate(`the repository ${repo.owner}/${repo.repo} could not be read`);
  if (!repository.commit) throw new CouldNotEvaluate(`GitHub has no commit ${sha} in ${repo.owner}/${repo.repo} to read the policy from`);

  const texts = await Promise.all(
    POLICY_PATHS.map(async (path, i): Promise<[string, string] | undefined> => {
      const node = repository[`p${i}`];
      // A path that is missing, or a directory (the Blob fragment leaves it empty), holds no policy.
      if (node?.oid === undefined) return undefined;
      // Rare (a CODEOWNERS file near GitHub's 3 MB limit, or with bytes GitHub calls binary):
      // one more round trip for the whole content, never a partial policy. No size limit: the
      // core must see a 3 MB CODEOWNERS whole to know that GitHub ignores it.
      if (node.isBinary === true || node.isTruncated === true || typeof node.text !== "string") {
        return [path, await fetchWholeBlob({ octokit, repo, sha: node.oid, maxBytes: Number.POSITIVE_INFINITY })];
      }
      return [path, node.text];
    }),
  );
  const files = new Map(texts.filter((entry) => entry !== undefined));
  const config = files.get(CONFIG_PATH);
  return { ...(config !== undefined ? { config } : {}), files };
}
