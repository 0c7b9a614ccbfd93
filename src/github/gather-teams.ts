import type { Config } from "../core/config/config.js";
import { codeownersIndex } from "../core/owners/codeowners-index.js";
import { findCodeowners } from "../core/owners/find-codeowners.js";
import { gatherPages, PER_PAGE } from "./gather-pages.js";
import type { Policy } from "./gather-policy.js";
import { statusOf } from "./gather-status.js";
import type { GitHubClient } from "./target.js";

/** Also here because answer-command.ts imports it from this file; new code should import gather-status.js. */
export { statusOf } from "./gather-status.js";

/**
 * Members by team (`org/team`, lower case), each team's pages in parallel. A team GitHub will
 * not show (404: unknown, or in another organization; 403: not visible to the app) is left out:
 * the core reads a missing team as unresolved and fails closed, where an empty list would
 * wrongly say "nobody can approve".
 */
export async function gatherTeams(params: { octokit: GitHubClient; teams: readonly string[] }): Promise<Record<string, string[]>> {
  const { octokit } = params;
  const resolved = await Promise.all(
    params.teams.map(async (team): Promise<[string, string[]] | undefined> => {
      const [org = "", slug = ""] = team.split("/");
      try {
        const members = await gatherPages((page) => octokit.rest.teams.listMembersInOrg({ org, team_slug: slug, per_page: PER_PAGE, page }));
        return [team, members.map((member) => member.login).sort()];
      } catch (error) {
        if (statusOf(error) === 404 || statusOf(error) === 403) return undefined;
        throw error;
      }
    }),
  );
  return Object.fromEntries(resolved.filter((entry) => entry !== undefined));
}

/**
 * The teams whose members the approval rules need: the owners CODEOWNERS (from the base
 * branch) gives the changed files, and the security team. Sorted, lower case, without `@`.
 */
export function teamsNamed(params: { policy: Policy; approvals: Config["approvals"]; changedFiles: readonly string[] }): string[] {
  const { policy, approvals, changedFiles } = params;
  const owners = new Set<string>();
  if (approvals.securityTeam !== undefined) owners.add(approvals.securityTeam);
  if (approvals.codeOwners) {
    const index = codeownersIndex(findCodeowners(policy.files));
    for (const file of changedFiles) {
      const found = index.ownersOf(file);
      if (found.status === "owned") for (const owner of found.owners) owners.add(owner);
    }
  }
  const teams = [...owners].filter((owner) => /^@[^/]+\/[^/]+$/.test(owner)).map((owner) => owner.slice(1).toLowerCase());
  return [...new Set(teams)].sort();
}
