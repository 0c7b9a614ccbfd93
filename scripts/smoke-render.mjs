#!/usr/bin/env node
// Renders inputs through the CLI: each .yaml/.yml/.json file of a folder on its own, and each
// subfolder as one tree (as Istio's analyzer cases are laid out). A diagnostic (exit 1) is fine;
// a crash (an exception, which bin/meshgate.js turns into exit 3, or any other code) fails. The CLI
// runs in this process, as bin/meshgate.js runs it, so that a hundred inputs take seconds.
// Usage: node scripts/smoke-render.mjs DIR...  (after `npm run build`)
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node scripts/smoke-render.mjs DIR...");
  process.exit(2);
}
const { main } = await import(new URL("../dist/cli/main.js", import.meta.url).href);

async function render(root) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (t) => (stdout += t) }, stderr: { write: (t) => (stderr += t) }, cwd: process.cwd() };
  try {
    return { status: await main(["render", root, "--format", "json"], io), stdout, stderr };
  } catch (error) {
    return { status: 3, stdout, stderr: `${stderr}internal error: ${error instanceof Error ? error.stack : String(error)}\n` };
  }
}
let crashed = 0;
let total = 0;
for (const dir of dirs) {
  const inputs = readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory() || /\.(ya?ml|json)$/.test(entry))
    .sort();
  for (const input of inputs) {
    total++;
    const root = mkdtempSync(join(tmpdir(), "meshgate-smoke-"));
    cpSync(join(dir, input), statSync(join(dir, input)).isDirectory() ? root : join(root, input), { recursive: true });
    const run = await render(root);
    rmSync(root, { recursive: true, force: true });
    const ok = run.status === 0 || run.status === 1;
    if (!ok) crashed++;
    const resources = ok ? JSON.parse(run.stdout).resources.length : 0;
    const diagnostics = run.stderr.split("\n").filter((l) => l.trim() !== "");
    console.log(`${ok ? "ok   " : "CRASH"} ${input}: exit ${run.status}, ${resources} resources, ${diagnostics.length} diagnostics`);
    // Notices and warnings are expected on manifests written for other KubeVela catalogs.
    for (const line of diagnostics.filter((l) => !ok || l.includes(": error: "))) console.log(`        ${line.replace(root + "/", "")}`);
  }
}
console.log(`${total - crashed} passed, ${crashed} failed`);
process.exit(crashed > 0 ? 1 : 0);
