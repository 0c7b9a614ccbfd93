import { stat } from "node:fs/promises";
import { RenderMemo } from "../core/render/render-memo.js";
import { evaluationsFor } from "../cue/evaluations-for.js";
import { parseArgs } from "node:util";
import { CONFIG_PATH, loadConfig } from "../core/config/config.js";
import { isScopeCandidate, manifestMatcher } from "../core/manifests/read-manifests.js";
import { renderSnapshot } from "../core/render/render-snapshot.js";
import { renderJson, renderYaml } from "../report/render-output.js";
import { formatDiagnostics, hasErrors } from "./diagnostics.js";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from "./io.js";
import { readDirectorySnapshot, readOptionalFile } from "./read-snapshot.js";
import { resolve } from "node:path";

export const renderUsage = `meshgate render <dir> [--format yaml|json]

Renders the Istio configuration that the OAM Applications (and raw Istio documents) under
<dir> imply. YAML: multi-document, ready for kubectl. JSON: { resources, diagnostics }, each
resource with its provenance. Diagnostics go to stderr as file:line: severity: message.
Exit codes: 0 rendered cleanly, 1 error diagnostics, 2 bad usage or unreadable path.
`;

export async function runRender(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { format: { type: "string", default: "yaml" } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(`render takes one directory\n\n${renderUsage}`);
  const format = values.format;
  if (format !== "yaml" && format !== "json") throw new UsageError(`--format must be yaml or json, not ${format}`);
  const dir = positionals[0] ?? ".";
  const root = resolve(io.cwd, dir);
  // kubectl takes a file too; meshgate reads a repository's tree, with its config, so it says so.
  const info = await stat(root).catch(() => undefined);
  if (info === undefined) throw new UsageError(`cannot read ${dir}: no such directory`);
  if (!info.isDirectory()) throw new UsageError(`render takes a directory, and ${dir} is a file: give the directory that holds it (and its .github/meshgate.yml)`);

  const { config, diagnostics: configDiagnostics } = loadConfig(await readOptionalFile(root, CONFIG_PATH));
  const isManifest = manifestMatcher(config.manifests);
  // The files the config leaves out are read too, only to tell their mesh documents (SCOPE-001).
  const { snapshot, diagnostics: readDiagnostics } = await readDirectorySnapshot(root, (path) => isManifest(path) || isScopeCandidate(path));
  const result = renderSnapshot(snapshot, config, new RenderMemo(), await evaluationsFor([snapshot]));
  const diagnostics = [...configDiagnostics, ...readDiagnostics, ...result.diagnostics];

  io.stdout.write(format === "json" ? `${JSON.stringify(renderJson({ ...result, diagnostics }), null, 2)}\n` : renderYaml(result.resources));
  io.stderr.write(formatDiagnostics(diagnostics, dir));
  return hasErrors(diagnostics) ? EXIT_FAILED : EXIT_OK;
}
