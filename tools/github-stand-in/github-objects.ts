import type { GitCommit, GitPerson } from "./git-repository.js";

/** Where the stand-in's repository lives and who is looking at it. */
export interface Site {
  /** The stand-in's base URL, used for every `url` field so that clients can follow them. */
  api: string;
  /** html_url fields point at github.com, as they would for a real repository; nothing fetches them. */
  web: string;
  owner: string;
  ownerType: "Organization" | "User";
  name: string;
  repositoryId: number;
  defaultBranch: string;
  installationId: number;
  /** Further installations with access to the repository (a load test's several installations on one repository). */
  moreInstallations: readonly number[];
  app: AppIdentity;
}

export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
}

export type Json = Record<string, unknown>;

/** A stable positive id for a key, so objects keep their ids from run to run. */
export function stableId(key: string, base = 1_000_000): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return base + (hash % 1_000_000_000);
}

/** GitHub's legacy global node id: base64 of "0<length>:<Type><id>" ("MDQ6VXNlcjE=" is User 1). */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** GitHub's timestamps: UTC, seconds, "Z". */
export function timestamp(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function userObject(site: Site, login: string): Json {
  const bot = login.endsWith("[bot]");
  const id = bot ? site.app.id + 40_000_000 : stableId(`user:${login.toLowerCase()}`);
  const type = bot ? "Bot" : login === site.owner ? site.ownerType : "User";
  const url = `${site.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type === "Organization" ? "Organization" : type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url,
    html_url: bot ? `${site.web}/apps/${site.app.slug}` : `${site.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function botLogin(site: Site): string {
  return `${site.app.slug}[bot]`;
}

export function repositoryObject(site: Site, fork?: { owner: string; name: string }): Json {
  const owner = fork?.owner ?? site.owner;
  const name = fork?.name ?? site.name;
  const full = `${owner}/${name}`;
  const url = `${site.api}/repos/${full}`;
  const id = fork ? stableId(`repo:${full}`) : site.repositoryId;
  const at = "2024-01-01T00:00:00Z";
  return {
    id,
    node_id: nodeId("Repository", id),
    name,
    full_name: full,
    owner: userObject(site, owner),
    private: true,
    html_url: `${site.web}/${full}`,
    description: null,
    fork: fork !== undefined,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `https://github.com/${full}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `https://github.com/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: site.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: "private",
    pushed_at: at,
    created_at: at,
    updated_at: at,
    allow_forking: true,
    license: null,
  };
}

/** The GitHub App itself (schema "integration"). */
export function appObject(site: Site): Json {
  const at = "2024-01-01T00:00:00Z";
  return {
    id: site.app.id,
    slug: site.app.slug,
    node_id: nodeId("Integration", site.app.id),
    client_id: `Iv1.${site.app.slug}`,
    owner: userObject(site, site.owner),
    name: site.app.name,
    description: null,
    external_url: `${site.web}/apps/${site.app.slug}`,
    html_url: `${site.web}/apps/${site.app.slug}`,
    created_at: at,
    updated_at: at,
    permissions: installationPermissions,
    events: ["check_run", "check_suite", "issue_comment", "merge_group", "pull_request", "pull_request_review"],
  };
}

/** What app.yml asks for (DESIGN §7). */
export const installationPermissions: Record<string, string> = {
  checks: "write",
  contents: "read",
  issues: "write",
  members: "read",
  merge_queues: "read",
  metadata: "read",
  pull_requests: "write",
};

function gitUser(person: GitPerson): Json {
  return { name: person.name, email: person.email, date: timestamp(person.date) };
}

/**
 * A commit as the REST API returns it (schema "commit"). `author`/`committer` are GitHub users
 * only when the email maps to one (a noreply address or one given to the stand-in), else null,
 * as GitHub answers for an unknown email.
 */
export function commitObject(site: Site, commit: GitCommit, loginOf: (email: string) => string | undefined): Json {
  const url = `${site.api}/repos/${site.owner}/${site.name}`;
  const authorLogin = loginOf(commit.author.email);
  const committerLogin = loginOf(commit.committer.email);
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", stableId(`commit:${commit.sha}`)),
    url: `${url}/commits/${commit.sha}`,
    html_url: `${site.web}/${site.owner}/${site.name}/commit/${commit.sha}`,
    comments_url: `${url}/commits/${commit.sha}/comments`,
    commit: {
      url: `${url}/git/commits/${commit.sha}`,
      author: gitUser(commit.author),
      committer: gitUser(commit.committer),
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
      verification: { verified: false, reason: "unsigned", payload: null, signature: null, verified_at: null },
    },
    author: authorLogin === undefined ? null : userObject(site, authorLogin),
    committer: committerLogin === undefined ? null : userObject(site, committerLogin),
    parents: commit.parents.map((sha) => ({ sha, url: `${url}/commits/${sha}`, html_url: `${site.web}/${site.owner}/${site.name}/commit/${sha}` })),
  };
}

/** "<login>@users.noreply.github.com" or "<id>+<login>@users.noreply.github.com" → login. */
export function noreplyLogin(email: string): string | undefined {
  return /^(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email)?.[1];
}

/** Standard base64 wrapped at 60 characters with a final newline, as the blob and contents APIs send it. */
export function githubBase64(content: Uint8Array): string {
  const text = Buffer.from(content).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 60) lines.push(text.slice(i, i + 60));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
