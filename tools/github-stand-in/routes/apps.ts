import { randomBytes } from "node:crypto";
import { installationPermissions, nodeId, timestamp, userObject } from "../github-objects.js";
import { failure, integerParam, json, type Route, type StandInContext } from "./route.js";

/** An installation token like GitHub's: "ghs_" and 36 letters and digits. */
export function newInstallationToken(context: StandInContext, installationId: number = context.site.installationId): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const token = `ghs_${Array.from(randomBytes(36), (byte) => alphabet.charAt(byte % alphabet.length)).join("")}`;
  context.state.tokens.set(token, installationId);
  return token;
}

function installationObject(context: StandInContext): Record<string, unknown> {
  const { site } = context;
  const account = userObject(site, site.owner);
  return {
    id: site.installationId,
    account,
    repository_selection: "selected",
    access_tokens_url: `${site.api}/app/installations/${site.installationId}/access_tokens`,
    repositories_url: `${site.api}/installation/repositories`,
    html_url: `${site.web}/organizations/${site.owner}/settings/installations/${site.installationId}`,
    app_id: site.app.id,
    client_id: `Iv1.${site.app.slug}`,
    app_slug: site.app.slug,
    target_id: account.id,
    target_type: site.ownerType,
    permissions: installationPermissions,
    events: ["check_run", "check_suite", "issue_comment", "merge_group", "pull_request", "pull_request_review"],
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
    node_id: nodeId("Installation", site.installationId),
  };
}

export const appRoutes: Route[] = [
  {
    method: "POST",
    template: "/app/installations/{installation_id}/access_tokens",
    auth: "app",
    handle: (request, context) => {
      const installationId = integerParam(request.params.installation_id);
      if (installationId !== context.site.installationId && !context.site.moreInstallations.includes(installationId ?? -1)) {
        return Promise.resolve(failure(404, "Not Found", "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"));
      }
      const asked = (request.body as { permissions?: Record<string, string> } | undefined)?.permissions;
      const permissions = asked ? Object.fromEntries(Object.entries(asked).filter(([name]) => name in installationPermissions)) : installationPermissions;
      const expires = new Date(context.now().getTime() + 60 * 60 * 1000);
      return Promise.resolve(json(201, { token: newInstallationToken(context, installationId ?? context.site.installationId), expires_at: timestamp(expires), permissions, repository_selection: "selected" }));
    },
  },
  {
    method: "GET",
    template: "/repos/{owner}/{repo}/installation",
    auth: "app",
    handle: (_request, context) => Promise.resolve(json(200, installationObject(context))),
  },
];
