import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { defaultAnalyzerMesh } from "../core/analyzers/analyzer.js";
import { readMeshConfig } from "../core/analyzers/mesh-config.js";
import { implementedCodes, runAnalyzers, type AnalysisMessage } from "../core/analyzers/run-analyzers.js";
import { CONFIG_PATH, loadConfig } from "../core/config/config.js";
import { manifestMatcher } from "../core/manifests/read-manifests.js";
import { renderSnapshot } from "../core/render/render-snapshot.js";
import { sourceOf } from "../core/rules/source-of.js";
import { formatDiagnostics, hasErrors } from "./diagnostics.js";
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from "./io.js";
import { readDirectorySnapshot, readOptionalFile } from "./read-snapshot.js";

export const analyzeUsage = `meshgate analyze <dir> [--format text|json] [--mesh-config FILE]
meshgate analyze --list [--format text|json]

Runs Istio's configuration analyzers (the IST codes of \`istioctl analyze\`) on what <dir>
renders: its OAM Applications and raw documents, without a cluster. Resources annotated
\`galley.istio.io/analyze-suppress: <code>[,<code>…]\` (or \`*\`) suppress those codes, as
istioctl does.

--mesh-config FILE  Istio's MeshConfig (YAML) for the fields the analyzers read: rootNamespace,
                    defaultConfig.proxyMetadata (DNS auto-allocation), extensionProviders,
                    defaultProviders.
--list              the codes implemented.

Text: one line per message, as istioctl prints it: \`Error [IST0132] (VirtualService ns/name
file:line) …\`. JSON: { messages: [{ code, level, kind, namespace, name, file, line, message }] }.
Render diagnostics go to stderr as file:line: severity: message.
Exit codes: 0 no error-level message, 1 error-level messages or error diagnostics, 2 bad usage.
`;

export async function runAnalyze(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: "string", default: "text" }, "mesh-config": { type: "string" }, list: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const format = values.format;
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not ${format}`);
  if (values.list) {
    if (positionals.length > 0) throw new UsageError(`--list takes no directory\n\n${analyzeUsage}`);
    const codes = implementedCodes();
    io.stdout.write(format === "json" ? `${JSON.stringify({ codes }, null, 2)}\n` : codes.map((c) => `${c}\n`).join(""));
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`analyze takes one directory\n\n${analyzeUsage}`);
  const dir = positionals[0] ?? ".";
  const root = resolve(io.cwd, dir);

  const { config, diagnostics: configDiagnostics } = loadConfig(await readOptionalFile(root, CONFIG_PATH));
  let mesh = defaultAnalyzerMesh(config.mesh);
  const meshDiagnostics = [];
  if (values["mesh-config"] !== undefined) {
    const path = values["mesh-config"];
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, path), "utf8");
    } catch {
      throw new UsageError(`cannot read the mesh config ${path}`);
    }
    const read = readMeshConfig({ file: path, text, base: mesh });
    mesh = read.mesh;
    meshDiagnostics.push(...read.diagnostics);
  }
  const { snapshot, diagnostics: readDiagnostics } = await readDirectorySnapshot(root, manifestMatcher(config.manifests));
  const result = renderSnapshot(snapshot, config);
  const messages = runAnalyzers(result.resources, mesh).filter((m) => !m.suppressed);
  const diagnostics = [...configDiagnostics, ...readDiagnostics, ...result.diagnostics];

  io.stdout.write(format === "json" ? `${JSON.stringify({ messages: messages.map(messageJson) }, null, 2)}\n` : analyzeText(messages, dir));
  io.stderr.write(formatDiagnostics(meshDiagnostics, "."));
  io.stderr.write(formatDiagnostics(diagnostics, dir));
  const failed = messages.some((m) => m.level === "Error") || hasErrors(diagnostics) || hasErrors(meshDiagnostics);
  return failed ? EXIT_FAILED : EXIT_OK;
}

function messageJson(message: AnalysisMessage): Record<string, string | number> {
  const { object } = message.resource;
  const at = sourceOf(message.resource, message.pointer);
  return { code: message.code, level: message.level, kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name, file: at.file, line: at.line, message: message.message };
}

function analyzeText(messages: readonly AnalysisMessage[], dir: string): string {
  if (messages.length === 0) return `\u2714 No validation issues found when analyzing ${dir}.\n`;
  return messages
    .map((m) => {
      const { object } = m.resource;
      const at = sourceOf(m.resource, m.pointer);
      const namespace = object.metadata.namespace !== undefined ? `${object.metadata.namespace}/` : "";
      return `${m.level} [${m.code}] (${object.kind} ${namespace}${object.metadata.name} ${at.file}:${at.line}) ${m.message}\n`;
    })
    .join("");
}
