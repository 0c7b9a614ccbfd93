#!/usr/bin/env node
// Renders each manifest of a folder on its own through the CLI. A diagnostic (exit 1) is fine;
// a crash (any other exit code, or a stack trace) fails. Usage: node scripts/smoke-render.mjs DIR
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/smoke-render.mjs DIR");
  process.exit(2);
}
const cli = new URL("../bin/meshgate.js", import.meta.url).pathname;
let crashed = 0;
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
for (const file of files) {
  const root = mkdtempSync(join(tmpdir(), "meshgate-smoke-"));
  copyFileSync(join(dir, file), join(root, file));
  const run = spawnSync(process.execPath, [cli, "render", root, "--format", "json"], { encoding: "utf8" });
  rmSync(root, { recursive: true, force: true });
  const stackTrace = /^\s+at .+\(.+:\d+:\d+\)$/m.test(run.stderr);
  const ok = (run.status === 0 || run.status === 1) && !stackTrace;
  if (!ok) crashed++;
  const resources = ok ? JSON.parse(run.stdout).resources.length : 0;
  const diagnostics = run.stderr.split("\n").filter((l) => l.trim() !== "");
  console.log(`${ok ? "ok   " : "CRASH"} ${file}: exit ${run.status}, ${resources} resources, ${diagnostics.length} diagnostics`);
  // Notices and warnings are expected on manifests written for other KubeVela catalogs.
  for (const line of diagnostics.filter((l) => !ok || l.includes(": error: "))) console.log(`        ${line.replace(root + "/", "")}`);
}
console.log(`${files.length - crashed} passed, ${crashed} failed`);
process.exit(crashed > 0 ? 1 : 0);
