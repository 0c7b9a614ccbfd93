import type { Diagnostic } from "../types.js";
import { parseCodeowners, type Codeowners } from "./parse-codeowners.js";

/** Where GitHub looks for CODEOWNERS, in its order: the first file found is the only one used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/**
 * The code owners of a revision, from its files (path → text; give it the base side's). A
 * CODEOWNERS file shadowed by one earlier in GitHub's order gets a warning, since editing it
 * changes nothing.
 */
export function findCodeowners(files: ReadonlyMap<string, string>): Codeowners {
  const [found, ...shadowed] = CODEOWNERS_PATHS.filter((path) => files.has(path));
  if (found === undefined) return { status: "absent", diagnostics: [] };
  const codeowners = parseCodeowners(found, files.get(found) ?? "");
  const shadowWarnings: Diagnostic[] = shadowed.map((file) => ({
    file,
    line: 1,
    severity: "warning",
    message: `ignored: GitHub uses ${found} and looks no further`,
  }));
  return { ...codeowners, diagnostics: [...codeowners.diagnostics, ...shadowWarnings] };
}
