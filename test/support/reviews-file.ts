import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempTree } from "./temp-tree.js";

/**
 * A `--reviews` file for a pull request by maria with one approval, from li (a developer with
 * write access): sam, the security team (acme/security), has not approved. `overrides` replace
 * top-level keys. Returns its path, in a directory of its own.
 */
export function reviewsFile(overrides: Record<string, unknown> = {}): string {
  const file = join(tempTree(), "reviews.json");
  writeFileSync(file, JSON.stringify({
    author: "maria",
    headSha: "b2",
    commits: [{ sha: "b2", parents: 1, author: "maria", committer: "maria" }],
    reviews: [{ reviewer: "li", state: "APPROVED", commitId: "b2", submittedAt: "2026-11-28T10:00:00Z" }],
    permissions: { li: "write", sam: "write" },
    teams: { "acme/security": ["sam"] },
    ...overrides,
  }));
  return file;
}
