#!/usr/bin/env node
// For each manifest of a folder, rendered on its own through the built CLI (`npm run build`
// first): a Markdown table of the mesh objects it renders and what it reports as unsupported or
// unknown (errors, warnings and notices). Usage: node scripts/oam-examples-table.mjs DIR
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/oam-examples-table.mjs DIR");
  process.exit(2);
}
const cli = new URL("../bin/meshgate.js", import.meta.url).pathname;
// Kinds a reviewer of the mesh reads; the workload skeletons (Deployment, ServiceAccount) are left out.
const MESH = /^(Gateway|VirtualService|DestinationRule|PeerAuthentication|AuthorizationPolicy|RequestAuthentication|ServiceEntry|Sidecar|EnvoyFilter|Service|Ingress|HTTPRoute|TCPRoute|TLSRoute|GRPCRoute|Rollout)$/;
const cell = (items) => (items.length > 0 ? items.join("; ") : "—").replaceAll("|", "\\|");

console.log("| file | exit | mesh objects rendered | unsupported / reported |");
console.log("|---|---|---|---|");
for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const root = mkdtempSync(join(tmpdir(), "meshgate-oam-"));
  copyFileSync(join(dir, file), join(root, file));
  const run = spawnSync(process.execPath, [cli, "render", root, "--format", "json"], { encoding: "utf8" });
  rmSync(root, { recursive: true, force: true });
  if (run.status !== 0 && run.status !== 1) {
    console.log(`| ${file} | ${run.status} | CRASH | ${cell([run.stderr.split("\n")[0] ?? ""])} |`);
    continue;
  }
  const { resources, diagnostics } = JSON.parse(run.stdout);
  const objects = resources
    .filter((r) => MESH.test(r.kind))
    .map((r) => {
      const scope = [r.environment, r.step ? `step ${r.step.name}` : undefined].filter(Boolean).join(", ");
      return `${r.kind} ${r.metadata.namespace ?? ""}/${r.metadata.name} (${r.apiVersion}${scope ? `; ${scope}` : ""})`;
    });
  const reported = diagnostics.map((d) => `${d.severity} L${d.line}: ${d.message}`);
  console.log(`| ${file} | ${run.status} | ${cell(objects)} | ${cell(reported)} |`);
}
