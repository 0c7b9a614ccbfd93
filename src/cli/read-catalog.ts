import { readdirSync, readFileSync } from "node:fs";
import { loadCatalog, type Catalog } from "../core/rules/catalog.js";

/** The rule catalog shipped with meshgate: `rules/*.yaml` at the package root. */
export function readCatalog(): Catalog {
  const dir = new URL("../../rules/", import.meta.url);
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
    files.set(`rules/${name}`, readFileSync(new URL(name, dir), "utf8"));
  }
  return loadCatalog(files);
}
