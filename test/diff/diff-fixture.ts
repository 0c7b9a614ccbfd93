import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../../src/core/config/config.js";
import type { ChangeSet } from "../../src/core/diff/change-set.js";
import { diffRenders } from "../../src/core/diff/diff-renders.js";
import { renderSnapshot } from "../../src/core/render/render-snapshot.js";
import type { RenderResult } from "../../src/core/types.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));

/** Renders one side of a fixture: every file under `fixtures/<name>/<side>`, keyed by its relative path. */
export function renderSide(name: string, side: "base" | "head"): RenderResult {
  const root = join(FIXTURES, name, side);
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path).split(sep).join("/"), readFileSync(path, "utf8"));
  }
  return renderSnapshot({ files }, defaultConfig());
}

/** The diff of a base/head fixture pair; `reverse` compares head → base, to check the opposite change. */
export function diffFixture(name: string, options: { reverse?: boolean } = {}): ChangeSet {
  const [base, head] = [renderSide(name, "base"), renderSide(name, "head")];
  return options.reverse ? diffRenders(head, base) : diffRenders(base, head);
}

/** Notes as compact lines: `severity effect kind: message`, in change order. */
export function noteLines(changeSet: ChangeSet): string[] {
  return changeSet.changes.flatMap((c) => c.notes.map((n) => `${n.severity} ${n.effect} ${n.kind}: ${n.message}`));
}

/** Deployment `<namespace>/<name>` whose pods, labelled `app: <name>`, serve http on port 8080. */
export function deployment(name: string, namespace = "shop"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: ${name}, image: "registry.example.com/${name}:1", ports: [{ containerPort: 8080, name: http }] }]
`;
}
