import { describe, expect, it } from "vitest";
import {
  evaluateApprovals,
  type ApprovalEvaluation,
  type ApprovalInputs,
  type Review,
} from "../../src/core/owners/approvals.js";
import { findCodeowners } from "../../src/core/owners/find-codeowners.js";
import { CODEOWNERS_MAX_BYTES } from "../../src/core/owners/parse-codeowners.js";

const HEAD = "4ead000000000000000000000000000000000000";
const OLD = "01d0000000000000000000000000000000000000";

const BASE_CODEOWNERS = `* @acme/platform
/apps/shop/ @acme/shop
/apps/billing/ @ben
/apps/solo/ @alice
/apps/lab/ @acme/lab
/docs/ docs@acme.example
/apps/shared/ @acme/solo-team
`;

/** A PR by @alice; @carl pushed a commit to it; @bob's commit is a merge from the base branch. */
function inputs(overrides: Partial<ApprovalInputs> = {}): ApprovalInputs {
  return {
    changedFiles: ["apps/shop/app.yaml"],
    codeowners: findCodeowners(new Map([[".github/CODEOWNERS", BASE_CODEOWNERS]])),
    reviews: [],
    author: "alice",
    commits: [
      { sha: "c1c1c1c1", parents: 1, author: "alice", committer: "web-flow" },
      { sha: "c2c2c2c2", parents: 1, author: "carl", committer: "carl" },
      { sha: "m3m3m3m3", parents: 2, author: "bob", committer: "web-flow" },
    ],
    permissions: { maria: "write", rita: "read", bob: "write", li: "maintain", carl: "write", ben: "write", sam: "admin", alice: "admin", tess: "triage" },
    teams: { "acme/shop": ["Maria", "rita", "carl"], "acme/platform": ["li", "paul"], "acme/security": ["sam"], "acme/solo-team": ["alice"] },
    headSha: HEAD,
    approvals: { codeOwners: true, dismissStale: true, minimum: 1, securityTeam: "@acme/security" },
    securityChanges: [],
    ...overrides,
  };
}

let clock = 0;
function review(reviewer: string, state: Review["state"], commitId = HEAD): Review {
  clock += 1;
  return { reviewer, state, commitId, submittedAt: `2024-05-01T10:${String(Math.floor(clock / 60) % 60).padStart(2, "0")}:${String(clock % 60).padStart(2, "0")}Z` };
}

/** `rule subject` → status: what a reviewer of the verdict reads first. */
function statuses(evaluation: ApprovalEvaluation): Record<string, string> {
  return Object.fromEntries(evaluation.requirements.map((r) => [`${r.rule} ${r.subject}`, r.status]));
}

function descriptions(evaluation: ApprovalEvaluation): string[] {
  return evaluation.requirements.map((r) => r.description);
}

const MIN = "CHG-001 1 approval from reviewers other than the author and committers";
const SHOP = "CHG-002 apps/shop/app.yaml";
const HEAD_ONLY = "CHG-003 approvals on the head commit";
const NO_POLICY = "CHG-004 policy files";
const SECURITY = "CHG-002 security-relevant change (AuthorizationPolicy shop/frontend-allow)";

interface Case {
  name: string;
  inputs: Partial<ApprovalInputs>;
  expected: Record<string, string>;
  /** Sentences that must appear verbatim among the requirements' descriptions. */
  says?: string[];
  /** Fragments that must appear in some description. */
  mentions?: string[];
}

const cases: Case[] = [
  {
    name: "an owner approves",
    inputs: { reviews: [review("maria", "APPROVED")] },
    expected: { [MIN]: "satisfied", [SHOP]: "satisfied", [HEAD_ONLY]: "satisfied", [NO_POLICY]: "satisfied" },
    says: ["apps/shop/app.yaml: approved by @maria (@acme/shop)"],
  },
  {
    name: "an owner without write permission approves: it does not count",
    inputs: { reviews: [review("rita", "APPROVED")] },
    expected: { [MIN]: "pending", [SHOP]: "pending" },
    mentions: ["apps/shop/app.yaml: waiting for @acme/shop; not counted: @rita (read permission; approvals need write, maintain or admin)"],
  },
  {
    name: "an approval followed by a plain comment still counts",
    inputs: { reviews: [review("maria", "APPROVED"), review("maria", "COMMENTED")] },
    expected: { [MIN]: "satisfied", [SHOP]: "satisfied" },
  },
  {
    name: "a non-owner approves: counts for the minimum, not for the owners",
    inputs: { reviews: [review("bob", "APPROVED")] },
    expected: { [MIN]: "satisfied", [SHOP]: "pending" },
    says: ["apps/shop/app.yaml: waiting for @acme/shop", "1 approval from reviewers other than the author and committers: approved by @bob"],
  },
  {
    name: "the author is the only owner: their approval never counts",
    inputs: { changedFiles: ["apps/solo/app.yaml"], reviews: [review("alice", "APPROVED")] },
    expected: { "CHG-002 apps/solo/app.yaml": "pending", [MIN]: "pending" },
    mentions: ["apps/solo/app.yaml: waiting for @alice, but no owner other than the author can approve", "not counted: @alice (the author)"],
  },
  {
    name: "the author is the only member of the owning team",
    inputs: { changedFiles: ["apps/shared/lib.yaml"], reviews: [review("alice", "APPROVED")] },
    expected: { "CHG-002 apps/shared/lib.yaml": "pending" },
    mentions: ["no owner other than the author can approve"],
  },
  {
    name: "a stale approval after a new commit, with dismissStale: listed as stale, not counted (CHG-003)",
    inputs: { reviews: [review("maria", "APPROVED", OLD)] },
    expected: { [MIN]: "pending", [SHOP]: "pending", [HEAD_ONLY]: "pending" },
    says: [
      "apps/shop/app.yaml: waiting for @acme/shop; stale approval (@maria on 01d0000), not on the head 4ead000: approve again",
      "approvals on the head commit: met only by approvals on older commits than the head 4ead000, which do not count: 1 approval from reviewers other than the author and committers (@maria on 01d0000); apps/shop/app.yaml (@maria on 01d0000)",
    ],
  },
  {
    name: "a stale approval after a new commit, without dismissStale: it counts",
    inputs: { reviews: [review("maria", "APPROVED", OLD)], approvals: { codeOwners: true, dismissStale: false, minimum: 1, securityTeam: "@acme/security" } },
    expected: { [MIN]: "satisfied", [SHOP]: "satisfied", [HEAD_ONLY]: "satisfied" },
  },
  {
    name: "a fresh approval next to a stale one: met, no CHG-003",
    inputs: { reviews: [review("maria", "APPROVED", OLD), review("li", "APPROVED")] },
    expected: { [MIN]: "satisfied", [SHOP]: "pending", [HEAD_ONLY]: "pending" },
  },
  {
    name: "changes requested after an approval cancel it",
    inputs: { reviews: [review("maria", "APPROVED"), review("maria", "CHANGES_REQUESTED")] },
    expected: { [MIN]: "pending", [SHOP]: "pending" },
    says: ["apps/shop/app.yaml: waiting for @acme/shop; changes requested by @maria"],
  },
  {
    name: "a dismissed review does not count",
    inputs: { reviews: [review("maria", "DISMISSED")] },
    expected: { [MIN]: "pending", [SHOP]: "pending" },
    says: ["apps/shop/app.yaml: waiting for @acme/shop; review dismissed for @maria"],
  },
  {
    name: "an approval after a dismissal counts again (the latest decisive review wins)",
    inputs: { reviews: [review("maria", "DISMISSED"), review("maria", "APPROVED")] },
    expected: { [SHOP]: "satisfied" },
  },
  {
    name: "reviews are ordered by time, not by their place in the list",
    inputs: {
      reviews: [
        { reviewer: "maria", state: "CHANGES_REQUESTED", commitId: HEAD, submittedAt: "2024-05-01T12:00:00+02:00" },
        { reviewer: "maria", state: "APPROVED", commitId: HEAD, submittedAt: "2024-05-01T09:59:59Z" },
      ],
    },
    expected: { [SHOP]: "pending" },
  },
  {
    name: "a team member approves for the team (logins are case-insensitive)",
    inputs: { changedFiles: ["README.md"], reviews: [review("LI", "APPROVED")] },
    expected: { "CHG-002 README.md": "satisfied" },
    says: ["README.md: approved by @LI (@acme/platform)"],
  },
  {
    name: "a non-member approves for a team: it does not count",
    inputs: { changedFiles: ["README.md"], reviews: [review("bob", "APPROVED")] },
    expected: { "CHG-002 README.md": "pending" },
    says: ["README.md: waiting for @acme/platform"],
  },
  {
    name: "an unresolved team fails closed, with no approval",
    inputs: { changedFiles: ["apps/lab/app.yaml"] },
    expected: { "CHG-002 apps/lab/app.yaml": "failed-closed" },
    says: ["apps/lab/app.yaml: cannot be decided, so it fails closed: the members of @acme/lab were not resolved"],
  },
  {
    name: "an unresolved team fails closed, even with an approval (the approver may or may not be a member)",
    inputs: { changedFiles: ["apps/lab/app.yaml"], reviews: [review("bob", "APPROVED")] },
    expected: { "CHG-002 apps/lab/app.yaml": "failed-closed", [MIN]: "satisfied" },
    mentions: ["cannot tell whether @bob is in @acme/lab (its members were not resolved)"],
  },
  {
    name: "an email owner cannot be matched to reviewers: fails closed",
    inputs: { changedFiles: ["docs/guide.md"], reviews: [review("bob", "APPROVED")] },
    expected: { "CHG-002 docs/guide.md": "failed-closed" },
    mentions: ["cannot tell whether @bob is docs@acme.example"],
  },
  {
    name: "a security-relevant change without the security team's approval",
    inputs: { securityChanges: [{ kind: "AuthorizationPolicy", namespace: "shop", name: "frontend-allow" }], reviews: [review("maria", "APPROVED")] },
    expected: { [SHOP]: "satisfied", [SECURITY]: "pending" },
    says: ["security-relevant change (AuthorizationPolicy shop/frontend-allow): waiting for @acme/security"],
  },
  {
    name: "a security-relevant change with the security team's approval",
    inputs: { securityChanges: [{ kind: "AuthorizationPolicy", namespace: "shop", name: "frontend-allow" }], reviews: [review("maria", "APPROVED"), review("sam", "APPROVED")] },
    expected: { [SHOP]: "satisfied", [SECURITY]: "satisfied" },
    says: ["security-relevant change (AuthorizationPolicy shop/frontend-allow): approved by @sam (@acme/security)"],
  },
  {
    name: "security-relevant changes with no security team configured: code owners decide (no deadlock on the PR that configures one)",
    inputs: {
      securityChanges: [{ kind: "AuthorizationPolicy", namespace: "shop", name: "frontend-allow" }],
      reviews: [review("maria", "APPROVED")],
      approvals: { codeOwners: true, dismissStale: true, minimum: 1 },
    },
    expected: { [SECURITY]: "satisfied" },
    mentions: ["no security team is configured (approvals.securityTeam in .github/meshgate.yml)"],
  },
  {
    name: "a PR editing CODEOWNERS to add its author as owner: the base file still governs",
    inputs: { changedFiles: [".github/CODEOWNERS", "apps/shop/app.yaml"], reviews: [review("alice", "APPROVED")] },
    expected: { "CHG-002 .github/CODEOWNERS": "pending", [SHOP]: "pending", "CHG-004 policy edit (.github/CODEOWNERS)": "pending", [MIN]: "pending" },
    says: ["policy edit (.github/CODEOWNERS): waiting for @acme/security; not counted: @alice (the author)"],
  },
  {
    name: "a PR editing .github/meshgate.yml needs the security team",
    inputs: { changedFiles: [".github/meshgate.yml"], reviews: [review("li", "APPROVED")] },
    expected: { "CHG-002 .github/meshgate.yml": "satisfied", "CHG-004 policy edit (.github/meshgate.yml)": "pending" },
    says: ["policy edit (.github/meshgate.yml): waiting for @acme/security"],
  },
  {
    name: "a PR editing .github/meshgate.yml, approved by the security team",
    inputs: { changedFiles: [".github/meshgate.yml"], reviews: [review("li", "APPROVED"), review("sam", "APPROVED")] },
    expected: { "CHG-004 policy edit (.github/meshgate.yml)": "satisfied" },
  },
  {
    name: "a committer's approval never counts for CHG-001, but does as a code owner",
    inputs: { reviews: [review("carl", "APPROVED")] },
    expected: { [MIN]: "pending", [SHOP]: "satisfied" },
    mentions: ["not counted: @carl (committed to this pull request)"],
  },
  {
    name: "the author of a merge commit is not a committer",
    inputs: { reviews: [review("bob", "APPROVED")], changedFiles: ["lib/x.txt"] },
    expected: { [MIN]: "satisfied" },
  },
  {
    name: "an unknown permission fails closed",
    inputs: { reviews: [review("zed", "APPROVED")] },
    expected: { [MIN]: "failed-closed", [SHOP]: "pending" },
    mentions: ["the repository permission of @zed is unknown"],
  },
  {
    name: "a commit not linked to an account fails CHG-001 closed",
    inputs: { reviews: [review("bob", "APPROVED")], commits: [{ sha: "u1u1u1u1u1", parents: 1, author: null, committer: "web-flow" }] },
    expected: { [MIN]: "failed-closed" },
    mentions: ["commit u1u1u1u has an author or committer not linked to a GitHub account"],
  },
  {
    name: "an undatable review of a relevant reviewer fails closed",
    inputs: { reviews: [{ reviewer: "maria", state: "APPROVED", commitId: HEAD, submittedAt: "yesterday" }] },
    expected: { [SHOP]: "failed-closed" },
    mentions: ["the latest review of @maria cannot be dated"],
  },
  {
    name: "a CODEOWNERS file GitHub ignores (3 MB) fails closed",
    inputs: { codeowners: findCodeowners(new Map([[".github/CODEOWNERS", "#".repeat(CODEOWNERS_MAX_BYTES)]])), reviews: [review("maria", "APPROVED")] },
    expected: { "CHG-002 code owners": "failed-closed", [MIN]: "satisfied" },
    mentions: ["code owners: cannot be decided, so it fails closed: .github/CODEOWNERS is 3 MB or larger"],
  },
  {
    name: "a renamed file needs the owners of both its paths",
    inputs: { changedFiles: ["apps/shop/app.yaml", "apps/billing/app.yaml"], reviews: [review("maria", "APPROVED")] },
    expected: { [SHOP]: "satisfied", "CHG-002 apps/billing/app.yaml": "pending" },
    says: ["apps/billing/app.yaml: waiting for @ben"],
  },
  {
    name: "a minimum of 2 with one approval",
    inputs: { reviews: [review("maria", "APPROVED")], approvals: { codeOwners: true, dismissStale: true, minimum: 2, securityTeam: "@acme/security" } },
    expected: { "CHG-001 2 approvals from reviewers other than the author and committers": "pending" },
    says: ["2 approvals from reviewers other than the author and committers: approved by @maria; waiting for 1 more approval from someone other than the author and committers"],
  },
  {
    name: "code owner approval off, nothing security-relevant",
    inputs: { reviews: [review("bob", "APPROVED")], approvals: { codeOwners: false, dismissStale: true, minimum: 1 } },
    expected: { [MIN]: "satisfied", "CHG-002 code owners and security-relevant resources": "satisfied", [HEAD_ONLY]: "satisfied", [NO_POLICY]: "satisfied" },
  },
  {
    name: "an unowned file needs no code owner",
    inputs: { changedFiles: [], reviews: [review("bob", "APPROVED")] },
    expected: { "CHG-002 code owners and security-relevant resources": "satisfied" },
  },
];

describe("evaluateApprovals", () => {
  it.each(cases)("$name", ({ inputs: overrides, expected, says = [], mentions = [] }) => {
    const evaluation = evaluateApprovals(inputs(overrides));
    expect(statuses(evaluation)).toMatchObject(expected);
    for (const sentence of says) expect(descriptions(evaluation)).toContain(sentence);
    for (const fragment of mentions) expect(descriptions(evaluation).some((d) => d.includes(fragment)), `${fragment}\nin\n${descriptions(evaluation).join("\n")}`).toBe(true);
  });

  it("returns one requirement per owner group and per rule, in rule order, with the worst status overall", () => {
    const evaluation = evaluateApprovals(
      inputs({
        changedFiles: ["apps/shop/a.yaml", "apps/shop/b.yaml", "README.md"],
        reviews: [review("maria", "APPROVED")],
        securityChanges: [
          { kind: "Gateway", namespace: "shop", name: "shop-gw" },
          { kind: "AuthorizationPolicy", namespace: "shop", name: "frontend-allow" },
        ],
      }),
    );
    expect(evaluation.requirements.map((r) => [r.rule, r.subject, r.status])).toEqual([
      ["CHG-001", "1 approval from reviewers other than the author and committers", "satisfied"],
      ["CHG-002", "README.md", "pending"],
      ["CHG-002", "apps/shop/a.yaml, apps/shop/b.yaml", "satisfied"],
      ["CHG-002", "security-relevant change (AuthorizationPolicy shop/frontend-allow, Gateway shop/shop-gw)", "pending"],
      ["CHG-003", "approvals on the head commit", "satisfied"],
      ["CHG-004", "policy files", "satisfied"],
    ]);
    expect(evaluation.status).toBe("pending");
    expect(evaluation.requirements[2]).toMatchObject({ needs: ["@acme/shop"], approvedBy: [{ login: "maria", via: "@acme/shop" }], files: ["apps/shop/a.yaml", "apps/shop/b.yaml"] });
  });

  it("is satisfied overall only when every requirement is", () => {
    const evaluation = evaluateApprovals(inputs({ reviews: [review("maria", "APPROVED")] }));
    expect(evaluation.status).toBe("satisfied");
    expect(evaluateApprovals(inputs({ changedFiles: ["apps/lab/x"] })).status).toBe("failed-closed");
  });
});
