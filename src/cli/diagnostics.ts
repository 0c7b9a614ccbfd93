import { join } from "node:path";
import type { Diagnostic } from "../core/types.js";

/** `file:line: severity: message`, with the file as the user can open it from where they are. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], root: string): string {
  return diagnostics.map((d) => `${join(root, d.file)}:${d.line}: ${d.severity}: ${d.message}\n`).join("");
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
