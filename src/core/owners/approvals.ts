import { CONFIG_PATH, type Config } from "../config/config.js";
import { codeownersIndex } from "./codeowners-index.js";
import { CODEOWNERS_PATHS } from "./find-codeowners.js";
import type { Codeowners } from "./parse-codeowners.js";

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED" | "COMMENTED";
export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Review {
  reviewer: string;
  state: ReviewState;
  commitId: string;
  /** ISO 8601, as GitHub gives it (`2024-05-01T10:00:00Z`). */
  submittedAt: string;
}

/** One commit of the pull request; a login is null when GitHub could not link the commit's email to an account. */
export interface PullRequestCommit {
  sha: string;
  parents: number;
  author: string | null;
  committer: string | null;
}

export interface SecurityResource {
  kind: string;
  namespace?: string;
  name: string;
}

export interface ApprovalInputs {
  /** Every path the PR touches; for a rename, both the old and the new path. */
  changedFiles: readonly string[];
  /** The base branch's CODEOWNERS: a PR's own edit of it never decides who approves it. */
  codeowners: Codeowners;
  reviews: readonly Review[];
  author: string;
  commits: readonly PullRequestCommit[];
  /** Repository permission by login; a reviewer missing here has an unknown permission. */
  permissions: Readonly<Record<string, Permission>>;
  /** Members by team (`org/team`); a team missing here is unresolved, which is not "empty". */
  teams: Readonly<Record<string, readonly string[]>>;
  headSha: string;
  approvals: Config["approvals"];
  /** Changed resources whose change is security-relevant (the kinds registry decides which). */
  securityChanges: readonly SecurityResource[];
}

export type ApprovalRuleId = "CHG-001" | "CHG-002" | "CHG-003" | "CHG-004";
/** Ordered: the evaluation's status is the worst of its requirements'. */
export type RequirementStatus = "satisfied" | "pending" | "failed-closed";

export interface CountedApproval {
  login: string;
  /** The owner the approver stands for (`@acme/shop`), absent for CHG-001. */
  via?: string;
}

export interface StaleApproval {
  login: string;
  commitId: string;
}

export interface ApprovalRequirement {
  rule: ApprovalRuleId;
  status: RequirementStatus;
  /** What needs approving, as the description names it. */
  subject: string;
  files: readonly string[];
  resources: readonly SecurityResource[];
  /** Who can satisfy it; empty for CHG-001 (anyone but the author and committers) and CHG-003. */
  needs: readonly string[];
  required: number;
  approvedBy: readonly CountedApproval[];
  stale: readonly StaleApproval[];
  notCounted: readonly { login: string; reason: string }[];
  /** Why the requirement cannot be decided; non-empty exactly when failed-closed. */
  unknowns: readonly string[];
  description: string;
}

export interface ApprovalEvaluation {
  status: RequirementStatus;
  requirements: ApprovalRequirement[];
}

const WRITE_PERMISSIONS: ReadonlySet<Permission> = new Set(["write", "maintain", "admin"]);
const DECISIVE_STATES: ReadonlySet<ReviewState> = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);
/** GitHub's own committer for edits and merges made in its web UI: not a person who could approve. */
const WEB_FLOW = "web-flow";
const POLICY_FILES: ReadonlySet<string> = new Set([CONFIG_PATH, ...CODEOWNERS_PATHS]);

/**
 * Who must approve the PR and who has (rules CHG-001…CHG-004): one requirement per owner group
 * and per rule. Pure: every fact about people arrives as data, and anything the data leaves
 * open (an unresolved team, an unknown permission, an unusable CODEOWNERS) fails closed with
 * the reason, never reads as "no owners" or "approved".
 */
export function evaluateApprovals(inputs: ApprovalInputs): ApprovalEvaluation {
  const people = knownPeople(inputs);
  const minimum = minimumRequirement(inputs, people);
  const ownerAndSecurity = [...codeOwnerRequirements(inputs, people), ...securityRequirements(inputs, people)];
  const codeOwners = ownerAndSecurity.length > 0 ? ownerAndSecurity : [nothingToApprove(inputs)];
  const policyEdits = policyEditRequirements(inputs, people);
  const stale = staleRequirement(inputs, [minimum, ...codeOwners, ...policyEdits]);
  const requirements = [minimum, ...codeOwners, stale, ...policyEdits];
  return { status: worstStatus(requirements.map((r) => r.status)), requirements };
}

interface Approval {
  login: string;
  key: string;
  commitId: string;
  fresh: boolean;
}

/** What the inputs say about people, normalized once: GitHub logins and team slugs are case-insensitive. */
interface People {
  authorKey: string;
  committers: ReadonlySet<string>;
  /** Commits whose author or committer is not linked to an account. */
  unlinkedCommits: readonly string[];
  approvals: readonly Approval[];
  /** Latest decisive review that is not an approval, by reviewer key. */
  withdrawn: ReadonlyMap<string, { login: string; state: ReviewState }>;
  /** Reviewers who approved at some point but whose latest decisive review cannot be told. */
  undatable: readonly { login: string; key: string }[];
  permissions: ReadonlyMap<string, Permission>;
  teams: ReadonlyMap<string, ReadonlySet<string>>;
  dismissStale: boolean;
  headSha: string;
}

function knownPeople(inputs: ApprovalInputs): People {
  const committers = new Set<string>();
  const unlinkedCommits: string[] = [];
  for (const commit of inputs.commits) {
    if (commit.parents > 1) continue;
    for (const login of [commit.author, commit.committer]) {
      if (login === null) unlinkedCommits.push(commit.sha);
      else if (login.toLowerCase() !== WEB_FLOW) committers.add(login.toLowerCase());
    }
  }

  // In input order, so that of two reviews at the same instant the later listed wins.
  const byReviewer = new Map<string, { review: Review; instant: number | undefined }[]>();
  for (const review of inputs.reviews) {
    if (!DECISIVE_STATES.has(review.state)) continue;
    const key = review.reviewer.toLowerCase();
    const list = byReviewer.get(key) ?? [];
    list.push({ review, instant: instantOf(review.submittedAt) });
    byReviewer.set(key, list);
  }
  const approvals: Approval[] = [];
  const withdrawn = new Map<string, { login: string; state: ReviewState }>();
  const undatable: { login: string; key: string }[] = [];
  for (const [key, reviews] of byReviewer) {
    if (reviews.some((r) => r.instant === undefined)) {
      if (reviews.some((r) => r.review.state === "APPROVED")) undatable.push({ login: reviews[0]?.review.reviewer ?? key, key });
      continue;
    }
    const latest = reviews.reduce((a, b) => ((b.instant ?? 0) >= (a.instant ?? 0) ? b : a)).review;
    if (latest.state === "APPROVED") {
      approvals.push({ login: latest.reviewer, key, commitId: latest.commitId, fresh: latest.commitId === inputs.headSha });
    } else {
      withdrawn.set(key, { login: latest.reviewer, state: latest.state });
    }
  }
  approvals.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const permissions = new Map(Object.entries(inputs.permissions).map(([login, permission]) => [login.toLowerCase(), permission]));
  const teams = new Map(
    Object.entries(inputs.teams).map(([team, members]) => [team.replace(/^@/, "").toLowerCase(), new Set(members.map((m) => m.toLowerCase()))]),
  );
  return {
    authorKey: inputs.author.toLowerCase(),
    committers,
    unlinkedCommits: [...new Set(unlinkedCommits)],
    approvals,
    withdrawn,
    undatable,
    permissions,
    teams,
    dismissStale: inputs.approvals.dismissStale,
    headSha: inputs.headSha,
  };
}

type Membership = { holds: true; via: string } | { holds: false } | { holds: "unknown"; reason: string };

/** Whether `key` is, or belongs to, one of `owners`. A direct or resolved match wins over an unknown. */
function membershipIn(owners: readonly string[], key: string, login: string, people: People): Membership {
  let unknown: string | undefined;
  for (const owner of owners) {
    if (!owner.startsWith("@")) {
      unknown ??= `cannot tell whether @${login} is ${owner} (email owners cannot be matched to reviewers)`;
    } else if (!owner.includes("/")) {
      if (owner.slice(1).toLowerCase() === key) return { holds: true, via: owner };
    } else {
      const members = people.teams.get(owner.slice(1).toLowerCase());
      if (members === undefined) unknown ??= `cannot tell whether @${login} is in ${owner} (its members were not resolved)`;
      else if (members.has(key)) return { holds: true, via: owner };
    }
  }
  return unknown === undefined ? { holds: false } : { holds: "unknown", reason: unknown };
}

/** Owners that nobody could ever be shown to satisfy from the inputs. */
function unresolvedOwners(owners: readonly string[], people: People): string[] {
  return owners.flatMap((owner) => {
    if (!owner.startsWith("@")) return [`${owner} is an email owner, which cannot be matched to reviewers`];
    if (owner.includes("/") && !people.teams.has(owner.slice(1).toLowerCase())) return [`the members of ${owner} were not resolved`];
    return [];
  });
}

/** Whether the inputs show that nobody but the author could ever satisfy `owners` (unresolved owners might). */
function noOwnerButAuthor(owners: readonly string[], people: People): boolean {
  return owners.every((owner) => {
    if (!owner.startsWith("@")) return false;
    if (!owner.includes("/")) return owner.slice(1).toLowerCase() === people.authorKey;
    const members = people.teams.get(owner.slice(1).toLowerCase());
    return members !== undefined && [...members].every((member) => member === people.authorKey);
  });
}

type Eligibility = { kind: "eligible"; via?: string } | { kind: "excluded"; reason: string } | { kind: "unknown"; reason: string };

/** Whether a reviewer's approval could count for a requirement, before permission and staleness. */
function eligibilityOf(key: string, login: string, owners: readonly string[] | undefined, people: People): Eligibility {
  if (key === people.authorKey) return { kind: "excluded", reason: "the author" };
  if (owners === undefined) {
    if (people.committers.has(key)) return { kind: "excluded", reason: "committed to this pull request" };
    if (people.unlinkedCommits.length > 0) return { kind: "unknown", reason: unlinkedReason(people) };
    return { kind: "eligible" };
  }
  const membership = membershipIn(owners, key, login, people);
  if (membership.holds === false) return { kind: "excluded", reason: "not an owner" };
  if (membership.holds === "unknown") return { kind: "unknown", reason: membership.reason };
  return { kind: "eligible", via: membership.via };
}

interface RequirementSpec {
  rule: ApprovalRuleId;
  subject: string;
  files?: readonly string[];
  resources?: readonly SecurityResource[];
  /** Owners to approve; undefined = anyone but the author and the committers (CHG-001). */
  owners?: readonly string[];
  required: number;
}

/** Sorts every approval into counted, stale, not counted or unknown for one requirement. */
function requirement(spec: RequirementSpec, people: People): ApprovalRequirement {
  const approvedBy: CountedApproval[] = [];
  const stale: StaleApproval[] = [];
  const notCounted: { login: string; reason: string }[] = [];
  const unknowns: string[] = [];
  const owners = spec.owners;

  for (const approval of people.approvals) {
    const { login, key } = approval;
    const eligibility = eligibilityOf(key, login, owners, people);
    if (eligibility.kind === "excluded") {
      notCounted.push({ login, reason: eligibility.reason });
      continue;
    }
    const permission = people.permissions.get(key);
    if (permission !== undefined && !WRITE_PERMISSIONS.has(permission)) {
      notCounted.push({ login, reason: `${permission} permission; approvals need write, maintain or admin` });
      continue;
    }
    if (eligibility.kind === "unknown") {
      unknowns.push(eligibility.reason);
      continue;
    }
    if (permission === undefined) {
      unknowns.push(`the repository permission of @${login} is unknown`);
      continue;
    }
    if (people.dismissStale && !approval.fresh) {
      stale.push({ login, commitId: approval.commitId });
      continue;
    }
    approvedBy.push(eligibility.via === undefined ? { login } : { login, via: eligibility.via });
  }

  const satisfied = approvedBy.length >= spec.required;
  if (!satisfied) {
    if (owners === undefined && people.unlinkedCommits.length > 0) {
      unknowns.push(unlinkedReason(people));
    }
    if (owners !== undefined) unknowns.push(...unresolvedOwners(owners, people));
    for (const { login, key } of people.undatable) {
      if (eligibilityOf(key, login, owners, people).kind !== "excluded") unknowns.push(`the latest review of @${login} cannot be dated`);
    }
  }
  const status: RequirementStatus = satisfied ? "satisfied" : unknowns.length > 0 ? "failed-closed" : "pending";
  const result: Omit<ApprovalRequirement, "description"> = {
    rule: spec.rule,
    status,
    subject: spec.subject,
    files: spec.files ?? [],
    resources: spec.resources ?? [],
    needs: owners ?? [],
    required: spec.required,
    approvedBy,
    stale,
    notCounted,
    unknowns: satisfied ? [] : [...new Set(unknowns)],
  };
  return { ...result, description: describe(result, people) };
}

function describe(requirement: Omit<ApprovalRequirement, "description">, people: People): string {
  const { subject, status, approvedBy, required, needs } = requirement;
  const approvers = approvedBy.map((a) => (a.via === undefined || a.via.toLowerCase() === `@${a.login.toLowerCase()}` ? `@${a.login}` : `@${a.login} (${a.via})`));
  if (status === "satisfied") return `${subject}: approved by ${approvers.join(", ")}`;

  const parts: string[] = [];
  if (status === "failed-closed") {
    parts.push(`cannot be decided, so it fails closed: ${requirement.unknowns.join("; ")}`);
  } else if (needs.length === 0) {
    const missing = required - approvedBy.length;
    parts.push(`${approvers.length > 0 ? `approved by ${approvers.join(", ")}; ` : ""}waiting for ${missing} more approval${missing === 1 ? "" : "s"} from someone other than the author and committers`);
  } else if (noOwnerButAuthor(needs, people)) {
    parts.push(`waiting for ${needs.join(" or ")}, but no owner other than the author can approve: add one in CODEOWNERS on the base branch`);
  } else {
    parts.push(`waiting for ${needs.join(" or ")}`);
  }
  if (requirement.stale.length > 0) {
    const list = requirement.stale.map((s) => `@${s.login} on ${shortSha(s.commitId)}`).join(", ");
    parts.push(`stale approval${requirement.stale.length === 1 ? "" : "s"} (${list}), not on the head ${shortSha(people.headSha)}: approve again`);
  }
  const notCounted = requirement.notCounted.filter((n) => n.reason !== "not an owner");
  if (notCounted.length > 0) parts.push(`not counted: ${notCounted.map((n) => `@${n.login} (${n.reason})`).join(", ")}`);
  const withdrawn = [...people.withdrawn.values()].filter((w) => relevantTo(requirement, w.login, people));
  for (const state of ["CHANGES_REQUESTED", "DISMISSED"] as const) {
    const logins = withdrawn.filter((w) => w.state === state).map((w) => `@${w.login}`);
    if (logins.length > 0) parts.push(`${state === "CHANGES_REQUESTED" ? "changes requested by" : "review dismissed for"} ${logins.join(", ")}`);
  }
  return `${subject}: ${parts.join("; ")}`;
}

/** Whether a withdrawn review is worth naming on this requirement (its reviewer could have counted). */
function relevantTo(requirement: Omit<ApprovalRequirement, "description">, login: string, people: People): boolean {
  if (requirement.rule === "CHG-003") return false;
  const owners = requirement.needs.length === 0 ? undefined : requirement.needs;
  return eligibilityOf(login.toLowerCase(), login, owners, people).kind === "eligible";
}

function minimumRequirement(inputs: ApprovalInputs, people: People): ApprovalRequirement {
  const required = inputs.approvals.minimum;
  const subject = `${required} approval${required === 1 ? "" : "s"} from reviewers other than the author and committers`;
  if (required === 0) return fixed({ rule: "CHG-001", subject, required }, "satisfied", `${subject}: none required (approvals.minimum is 0)`);
  return requirement({ rule: "CHG-001", subject, required }, people);
}

function codeOwnerRequirements(inputs: ApprovalInputs, people: People): ApprovalRequirement[] {
  if (!inputs.approvals.codeOwners) return [];
  const { codeowners } = inputs;
  if (codeowners.status === "unusable") {
    const spec = { rule: "CHG-002" as const, subject: "code owners", files: sortedUnique(inputs.changedFiles), required: 1 };
    return [fixed(spec, "failed-closed", `code owners: cannot be decided, so it fails closed: ${codeowners.reason}`, [codeowners.reason])];
  }
  const index = codeownersIndex(codeowners);
  const groups = new Map<string, { owners: readonly string[]; files: string[] }>();
  for (const file of sortedUnique(inputs.changedFiles)) {
    const owners = index.ownersOf(file);
    if (owners.status !== "owned") continue;
    const key = owners.owners.join(" ");
    const group = groups.get(key) ?? { owners: owners.owners, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => requirement({ rule: "CHG-002", subject: filesSubject(group.files), files: group.files, owners: group.owners, required: 1 }, people))
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

function securityRequirements(inputs: ApprovalInputs, people: People): ApprovalRequirement[] {
  const resources = sortedResources([...inputs.securityChanges]);
  if (resources.length === 0) return [];
  const subject = `security-relevant change (${resources.map((r) => `${r.kind} ${r.namespace === undefined ? "" : `${r.namespace}/`}${r.name}`).join(", ")})`;
  return [securityTeamRequirement({ rule: "CHG-002", subject, resources, required: 1 }, inputs, people)];
}

/** CHG-002 when neither code owners nor the security team have anything to approve. */
function nothingToApprove(inputs: ApprovalInputs): ApprovalRequirement {
  const subject = "code owners and security-relevant resources";
  const why = inputs.approvals.codeOwners ? "no changed file has code owners" : "code owner approval is off (approvals.codeOwners)";
  return fixed({ rule: "CHG-002", subject, required: 0 }, "satisfied", `${subject}: nothing to approve: ${why} and no security-relevant resource changed`);
}

function policyEditRequirements(inputs: ApprovalInputs, people: People): ApprovalRequirement[] {
  const files = sortedUnique(inputs.changedFiles.filter((file) => POLICY_FILES.has(file)));
  if (files.length === 0) {
    const subject = "policy files";
    return [fixed({ rule: "CHG-004", subject, required: 0 }, "satisfied", `${subject}: the pull request edits neither ${CONFIG_PATH} nor CODEOWNERS`)];
  }
  return [securityTeamRequirement({ rule: "CHG-004", subject: `policy edit (${files.join(", ")})`, files, required: 1 }, inputs, people)];
}

function securityTeamRequirement(spec: RequirementSpec, inputs: ApprovalInputs, people: People): ApprovalRequirement {
  const team = inputs.approvals.securityTeam;
  if (team === undefined) {
    // Without a team there is nobody to wait for, and failing closed would deadlock: the PR that
    // sets approvals.securityTeam is itself a policy edit. Code owners and the minimum decide.
    return fixed(spec, "satisfied", `${spec.subject}: no security team is configured (approvals.securityTeam in ${CONFIG_PATH}), so code owners and the minimum approvals decide`);
  }
  return requirement({ ...spec, owners: [team] }, people);
}

/** CHG-003: requirements that only approvals on older commits would meet. */
function staleRequirement(inputs: ApprovalInputs, requirements: readonly ApprovalRequirement[]): ApprovalRequirement {
  const subject = "approvals on the head commit";
  if (!inputs.approvals.dismissStale) {
    return fixed({ rule: "CHG-003", subject, required: 0 }, "satisfied", `${subject}: not required (approvals.dismissStale is off), approvals on earlier commits count`);
  }
  const staleOnly = requirements.filter((r) => r.status === "pending" && r.approvedBy.length + r.stale.length >= r.required);
  if (staleOnly.length === 0) {
    return fixed({ rule: "CHG-003", subject, required: 0 }, "satisfied", `${subject}: no requirement rests on stale approvals`);
  }
  const list = staleOnly.map((r) => `${r.subject} (${r.stale.map((s) => `@${s.login} on ${shortSha(s.commitId)}`).join(", ")})`).join("; ");
  const description = `${subject}: met only by approvals on older commits than the head ${shortSha(inputs.headSha)}, which do not count: ${list}`;
  const stale = staleOnly.flatMap((r) => r.stale);
  return { ...fixed({ rule: "CHG-003", subject, required: 0 }, "pending", description), stale };
}

function fixed(spec: RequirementSpec, status: RequirementStatus, description: string, unknowns: readonly string[] = []): ApprovalRequirement {
  return {
    rule: spec.rule,
    status,
    subject: spec.subject,
    files: spec.files ?? [],
    resources: spec.resources ?? [],
    needs: spec.owners ?? [],
    required: spec.required,
    approvedBy: [],
    stale: [],
    notCounted: [],
    unknowns,
    description,
  };
}

function worstStatus(statuses: readonly RequirementStatus[]): RequirementStatus {
  if (statuses.includes("failed-closed")) return "failed-closed";
  return statuses.includes("pending") ? "pending" : "satisfied";
}

function filesSubject(files: readonly string[]): string {
  return files.length <= 3 ? files.join(", ") : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more files`;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function sortedResources(resources: readonly SecurityResource[]): SecurityResource[] {
  const byId = new Map(resources.map((r) => [`${r.kind}/${r.namespace ?? ""}/${r.name}`, r]));
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

function unlinkedReason(people: People): string {
  const shas = people.unlinkedCommits.map(shortSha).join(", ");
  return `commit ${shas} has an author or committer not linked to a GitHub account, so approvers cannot be told apart from committers`;
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch of an ISO 8601 instant, computed without `Date` (the core has no clock). */
function instantOf(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const fraction = match[7] === undefined ? 0 : Number(match[7]) * 1000;
  const zone = match[8] ?? "Z";
  const offsetMinutes = zone.toUpperCase() === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second) * 1000 + fraction;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
