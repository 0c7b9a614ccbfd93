import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GitHubStandIn, ScratchRepository } from "./github-stand-in/index.js";

/**
 * The people of the example pull request (examples/shop → examples/shop-pr), as the demo and
 * the end-to-end tests stage it: alex wrote it; maria leads the shop's application teams, so
 * she is a code owner of every file it changes; sam is on the security team; rita can only read.
 */
export const SHOP_PEOPLE = { author: "alex", codeOwner: "maria", security: "sam", reader: "rita" } as const;

/** Permissions and team memberships that satisfy examples/shop/.github/CODEOWNERS and its security team. */
export function setUpShopPeople(standIn: GitHubStandIn): void {
  const { codeOwner, security, reader } = SHOP_PEOPLE;
  standIn.setPermission(codeOwner, "write");
  standIn.setPermission(security, "write");
  standIn.setPermission(reader, "read");
  for (const team of ["platform", "catalog", "payments", "storefront"]) standIn.setTeam(`acme/${team}`, [codeOwner]);
  standIn.setTeam("acme/security", [security]);
}

/**
 * The author's fix, pushed on `branch` (made from `from` if it does not exist): checkout's mTLS
 * back to STRICT (examples/shop-pr relaxes it to PERMISSIVE, a blocking finding). Returns the
 * new head commit.
 */
export async function pushShopFix(params: { repository: ScratchRepository; branch: string; from?: string; root?: string }): Promise<string> {
  const path = "apps/checkout.yaml";
  const text = await readFile(join(params.root ?? process.cwd(), "examples/shop-pr", path), "utf8");
  const fixed = text.replace(/^ *# Temporarily accept plaintext.*\n/m, "").replace("properties: { mode: PERMISSIVE }", "properties: { mode: STRICT }");
  if (!fixed.includes("mode: STRICT")) throw new Error(`examples/shop-pr/${path} no longer sets checkout's mTLS to PERMISSIVE: the fix has nothing to undo`);
  return params.repository.commit({
    branch: params.branch,
    ...(params.from !== undefined ? { from: params.from } : {}),
    files: { [path]: fixed },
    message: "Keep checkout on STRICT mTLS",
    author: { name: "Alex", email: "alex@users.noreply.github.com" },
  });
}
