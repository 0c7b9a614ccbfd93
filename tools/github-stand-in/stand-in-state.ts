/** What the stand-in keeps in memory: set up by tests, or written by the app through the API. */

export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface PullRequestSetup {
  number: number;
  /** Branch names in the stand-in's repository; the PR's shas are their tips at each request. */
  base: string;
  head: string;
  author: string;
  title?: string;
  body?: string;
  draft?: boolean;
  state?: "open" | "closed";
  /** A fork the head comes from; its commits are read from the same local repository. */
  headRepository?: { owner: string; name: string };
}

export interface StoredPullRequest extends Required<Omit<PullRequestSetup, "headRepository">> {
  headRepository?: { owner: string; name: string };
  id: number;
  createdAt: string;
}

export interface StoredReview {
  id: number;
  pullNumber: number;
  user: string;
  state: ReviewState;
  body: string;
  /** The head sha when the review was submitted. */
  commitId: string;
  submittedAt: string;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, across the create and update requests, in order. */
  annotations: CheckRunAnnotation[];
  /** The bodies of the create and update requests, in order: the posted payload is the assertion. */
  requests: unknown[];
}

export interface StoredReaction {
  id: number;
  content: ReactionContent;
  user: string;
  createdAt: string;
}

export interface StoredComment {
  id: number;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Earlier bodies, oldest first. */
  edits: string[];
  reactions: StoredReaction[];
}

/** Ids are large, as GitHub's are (over 2^31 for check runs), and deterministic. */
const FIRST_IDS = { pull: 1_900_000_001, review: 2_100_000_001, checkRun: 4_300_000_001, comment: 2_400_000_001, reaction: 300_000_001, token: 1 };

export class StandInState {
  readonly pulls = new Map<number, StoredPullRequest>();
  readonly reviews: StoredReview[] = [];
  readonly checkRuns: StoredCheckRun[] = [];
  readonly comments: StoredComment[] = [];
  readonly permissions = new Map<string, RepositoryRole>();
  /** "org/slug" in lower case → member logins. */
  readonly teams = new Map<string, string[]>();
  /** Installation tokens issued, and the installation each is for. */
  readonly tokens = new Map<string, number>();
  /** Commit emails → GitHub logins, besides noreply addresses. */
  readonly emailLogins = new Map<string, string>();
  private readonly next = { ...FIRST_IDS };

  nextId(kind: keyof typeof FIRST_IDS): number {
    return this.next[kind]++;
  }
}
