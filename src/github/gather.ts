import { CONFIG_PATH, loadConfig, type Config } from "../core/config/config.js";
import type { EvaluationInputs } from "../core/evaluate.js";
import { followLinks } from "../core/manifests/follow-links.js";
import { isNeverRead, isScopeCandidate, manifestMatcher } from "../core/manifests/read-manifests.js";
import type { Catalog } from "../core/rules/catalog.js";
import type { Diagnostic, Snapshot } from "../core/types.js";
import type { BlobCache } from "./blob-cache.js";
import { gatherBlobs } from "./gather-blobs.js";
import { gatherMergeBase } from "./gather-merge-base.js";
import { gatherPolicy, type Policy } from "./gather-policy.js";
import { gatherReview, MAX_PULL_REQUEST_COMMITS } from "./gather-review.js";
import { gatherSettled } from "./gather-settled.js";
import { teamsNamed } from "./gather-teams.js";
import { changedPaths, gatherTree, isRegularFile, type TreeEntry } from "./gather-tree.js";
import { CouldNotEvaluate, type EvaluationTarget, type GitHubClient } from "./target.js";

/**
 * Everything an evaluation needs from GitHub, read through the base repository by sha (so a
 * fork's head works like any other). Each read starts as soon as what it depends on is known,
 * which makes the sequential round trips a fixed count whatever the repository's size:
 *
 *   1. compare (merge base) ∥ policy at the base tip (one query) ∥ head tree ∥ base tip tree
 *      ∥ reviews ∥ commits
 *   2. manifest blobs (250 per query, queries in parallel, through the cache) ∥ approvers'
 *      permissions ∥ pages 2… of reviews and commits ∥ the merge base's tree, when it is not
 *      the base tip (then the blobs wait for it: one round trip more)
 *   3. team members; only when needed: pages 2… of a team's members, permissions after more
 *      than 100 reviews, the whole text of a blob GraphQL truncates
 *
 * With a warm cache the blob step makes no call. Production runs at most 25 requests at once
 * per installation (github-lanes.ts); that spreads a cold start's many blob queries over time,
 * not over rounds.
 */
export async function gatherInputs(params: { octokit: GitHubClient; target: EvaluationTarget; cache: BlobCache; catalog: Catalog; now: string }): Promise<EvaluationInputs> {
  const { octokit, target, cache, catalog, now } = params;
  const { repo, headSha, baseSha, pullRequest } = target;
  if (pullRequest && pullRequest.commits > MAX_PULL_REQUEST_COMMITS) {
    throw new CouldNotEvaluate(`pull request #${pullRequest.number} has ${pullRequest.commits} commits; GitHub lists at most ${MAX_PULL_REQUEST_COMMITS}, so its committers cannot all be known`);
  }

  // 1. Policy from the base tip; the two sides' trees at once: the head's, and the base tip's on
  // the wager that it is the merge base (a pull request up to date with its base, as required
  // checks ask). Lost, it costs one call, and the merge base's tree is read once known.
  const policy = gatherPolicy({ octokit, repo, sha: baseSha });
  const mergeBase = gatherMergeBase({ octokit, repo, baseSha, headSha });
  const headTree = gatherTree({ octokit, repo, sha: headSha });
  const tipTree = baseSha === headSha ? headTree : gatherTree({ octokit, repo, sha: baseSha });
  const baseTree = mergeBase.then((sha) => (sha === baseSha ? tipTree : sha === headSha ? headTree : gatherTree({ octokit, repo, sha })));
  // 2. What changed, and which files are manifests under the base tip's config; then their blobs.
  const change = Promise.all([policy, baseTree, headTree]).then(([p, before, after]) => changeOf(p, before, after));
  const snapshots = change.then((c) => readSnapshots({ octokit, target, cache, change: c }));
  // 3. The people, alongside: teams once the changed files and CODEOWNERS tell which.
  const review = pullRequest
    ? gatherReview({ octokit, repo, pullRequest, headSha, teams: change.then((c) => teamsNamed({ policy: c.policy, approvals: c.approvals, changedFiles: c.changedFiles })) })
    : Promise.resolve(undefined);
  // Every read is awaited, the failed ones too, so nothing is left in flight when this throws.
  // The tip's tree counts only as the merge base's: a lost wager's failure is no one's.
  const [policyRead, { changedFiles }, { base, head, headConfig, headDiagnostics }, reviewRead] = await gatherSettled([policy, change, snapshots, review, mergeBase, baseTree, headTree, tipTree.catch(() => undefined)]);

  return {
    base,
    head,
    ...(headDiagnostics.length > 0 ? { readDiagnostics: headDiagnostics } : {}),
    policy: policyRead,
    ...(headConfig !== undefined ? { headConfig } : {}),
    changedFiles,
    catalog,
    now,
    ...(reviewRead ? { review: reviewRead } : { rulesOnly: true }),
  };
}

interface Change {
  policy: Policy;
  approvals: Config["approvals"];
  changedFiles: string[];
  /**
   * The manifest files of each side, selected by the base tip's config, and the other files
   * kubectl would apply (read for SCOPE-001 only).
   */
  baseManifests: TreeEntry[];
  headManifests: TreeEntry[];
  /** Each side's symbolic links, followed inside the revision, and all its regular paths. */
  base: SideTree;
  head: SideTree;
  /** The head's config file, when the change edits it (validated, never applied). */
  headConfigEntry?: TreeEntry;
}

function changeOf(policy: Policy, before: readonly TreeEntry[], after: readonly TreeEntry[]): Change {
  // An invalid config still selects manifests (with defaults) so the rest is reported; the core fails the check on it.
  const { config } = loadConfig(policy.config);
  const isSelected = manifestMatcher(config.manifests);
  const isManifest = (path: string): boolean => isSelected(path) || isScopeCandidate(path);
  const manifests = (tree: readonly TreeEntry[]): TreeEntry[] =>
    tree.filter((entry) => isRegularFile(entry) && isManifest(entry.path));
  const side = (tree: readonly TreeEntry[]): SideTree => ({
    regular: tree.filter(isRegularFile),
    links: tree.filter((entry) => entry.type === "blob" && !isRegularFile(entry) && !isNeverRead(entry.path)),
    isManifest,
  });
  const changedFiles = changedPaths(before, after);
  const headConfigEntry = changedFiles.includes(CONFIG_PATH) ? after.find((entry) => entry.path === CONFIG_PATH && isRegularFile(entry)) : undefined;
  return {
    policy,
    approvals: config.approvals,
    changedFiles,
    baseManifests: manifests(before),
    headManifests: manifests(after),
    base: side(before),
    head: side(after),
    ...(headConfigEntry ? { headConfigEntry } : {}),
  };
}

interface SideTree {
  regular: TreeEntry[];
  links: TreeEntry[];
  isManifest: (path: string) => boolean;
}

async function readSnapshots(params: { octokit: GitHubClient; target: EvaluationTarget; cache: BlobCache; change: Change }): Promise<{ base: Snapshot; head: Snapshot; headConfig?: string; headDiagnostics: Diagnostic[] }> {
  const { octokit, target, cache, change } = params;
  const request = (entries: readonly TreeEntry[]): { sha: string; size?: number }[] => entries.map(({ sha, size }) => (size !== undefined ? { sha, size } : { sha }));
  // Links' blobs are their targets: read in the same queries as the manifests, so no round trip is added.
  const entries = [...change.baseManifests, ...change.headManifests, ...change.base.links, ...change.head.links, ...(change.headConfigEntry ? [change.headConfigEntry] : [])];
  const texts = await gatherBlobs({ octokit, repo: target.repo, cache, blobs: request(entries) });
  const linked = (side: SideTree): { entries: TreeEntry[]; diagnostics: Diagnostic[] } => {
    if (side.links.length === 0) return { entries: [], diagnostics: [] };
    const followed = followLinks({ files: side.regular.map((e) => e.path), links: new Map(side.links.map((e) => [e.path, texts.get(e.sha) ?? "/"])), isRead: side.isManifest });
    const byPath = new Map(side.regular.map((e) => [e.path, e]));
    const aliased = [...followed.aliases].flatMap(([path, real]) => {
      const entry = byPath.get(real);
      return entry ? [{ ...entry, path }] : [];
    });
    return { entries: aliased, diagnostics: followed.diagnostics };
  };
  const [baseLinked, headLinked] = [linked(change.base), linked(change.head)];
  // A link's target that is not a manifest by its own name is read only now: rare, and one query more.
  const missing = [...baseLinked.entries, ...headLinked.entries].filter((e) => !texts.has(e.sha));
  if (missing.length > 0) for (const [sha, text] of await gatherBlobs({ octokit, repo: target.repo, cache, blobs: request(missing) })) texts.set(sha, text);
  const snapshotOf = (manifests: readonly TreeEntry[]): Snapshot => ({
    files: new Map([...manifests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((entry) => [entry.path, texts.get(entry.sha) ?? ""])),
  });
  const headConfig = change.headConfigEntry ? texts.get(change.headConfigEntry.sha) : undefined;
  return {
    base: snapshotOf([...change.baseManifests, ...baseLinked.entries]),
    head: snapshotOf([...change.headManifests, ...headLinked.entries]),
    ...(headConfig !== undefined ? { headConfig } : {}),
    headDiagnostics: headLinked.diagnostics,
  };
}
