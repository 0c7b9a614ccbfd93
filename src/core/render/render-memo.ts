import type { FileRender, FileRenderConfig } from "./render.js";

/**
 * What a held file weighs in memory per character of its text: its render was measured at about
 * 12.5 bytes a character for small and for large Applications alike (heap after a forced GC,
 * divided by the renders held), and the text itself takes up to 2. Rounded up, so the bound holds.
 */
const RENDER_BYTES_PER_CHAR = 16;
/** About 8 MB of manifest text: the two sides of a repository of 2,000 large Applications, with room to spare. */
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;
/** Versions of one path kept at once: the base's and the heads' of the pull requests in review. */
const VERSIONS_PER_PATH = 4;

interface Version {
  text: string;
  render: FileRender;
  /** What else the render depends on (the definitions of the types it used), when it was made. */
  depends: string;
}

/**
 * Renders of manifest files by path, text and render settings, shared by the two sides of one
 * evaluation and by the evaluations of one process: a file that is the same at base and head,
 * or in the next pull request, is parsed and rendered once. A memo never changes a result,
 * only how soon it comes: what it holds is deeply frozen, so no later stage can alter what the
 * next evaluation reads.
 *
 * Bounded by the memory its renders take (estimated from their texts' length), the least
 * recently used path evicted first, when trim() is called: between evaluations. An evaluation
 * keeps its own renders alive whatever the memo holds, so evicting them while it runs would
 * free nothing, and would make a repository larger than the bound miss on every file of its
 * second side.
 */
export class RenderMemo {
  readonly #maxBytes: number;
  /** Files rendered (not taken from the memo) so far. */
  made = 0;
  /** By settings and path; insertion order is recency order. */
  readonly #paths = new Map<string, Version[]>();
  #renders = 0;
  #bytes = 0;

  constructor(options: { maxBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /**
   * The render of `file` with `text` under `settings` (a key from settingsKey), made by `render`
   * when not held. `dependencies` tells, of a render, what else it depends on now (the
   * repository definitions of the types it used): a held render is taken only while that is
   * what it was when the render was made, so editing a definition re-renders the files that use
   * its type, and no other.
   */
  renderOf(params: { settings: string; file: string; text: string; render: () => FileRender; dependencies?: (render: FileRender) => string }): FileRender {
    const key = `${params.settings}\u0000${params.file}`;
    const dependencies = params.dependencies ?? ((): string => "");
    const versions = this.#paths.get(key) ?? [];
    const found = versions.findIndex((v) => v.text === params.text && v.depends === dependencies(v.render));
    // Rendered before anything changes: a render that throws (an evaluation deferred) leaves the memo as it was.
    const held = found >= 0 ? versions[found] : undefined;
    let version = held;
    if (!version) {
      const render = deepFreeze(params.render());
      this.made++;
      version = { text: params.text, render, depends: dependencies(render) };
    }
    this.#paths.delete(key);
    if (held) versions.splice(found, 1);
    else this.#count(version, 1);
    versions.unshift(version);
    for (const dropped of versions.splice(VERSIONS_PER_PATH)) this.#count(dropped, -1);
    this.#paths.set(key, versions);
    return version.render;
  }

  /** Evicts the least recently used paths until the memo is within its bound. Call it before an evaluation, not during one. */
  trim(): void {
    for (const [oldest, kept] of this.#paths) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#paths.delete(oldest);
      for (const dropped of kept) this.#count(dropped, -1);
    }
  }

  /** File renders held. */
  get size(): number {
    return this.#renders;
  }

  /** Memory the held renders take, as estimated against maxBytes. */
  get bytes(): number {
    return this.#bytes;
  }

  #count(version: Version, sign: 1 | -1): void {
    this.#renders += sign;
    this.#bytes += sign * weightOf(version);
  }
}

/** The settings a file's render depends on, as a key: equal settings, equal keys. */
export function settingsKey(config: FileRenderConfig): string {
  return JSON.stringify([config.defaultNamespace, config.mesh]);
}

function weightOf(version: Version): number {
  return version.text.length * RENDER_BYTES_PER_CHAR;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}
