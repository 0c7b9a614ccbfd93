/** Enough for the manifests of many large repositories, small beside a server's memory. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Blob texts by git sha, shared by every evaluation of the process: a blob's sha names its
 * content, so an entry never goes stale and an unchanged manifest is fetched once. Bounded by
 * the memory its texts take (two bytes per UTF-16 code unit, an upper bound), evicting the
 * least recently used first.
 */
export class BlobCache {
  readonly #maxBytes: number;
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #texts = new Map<string, string>();
  #bytes = 0;

  constructor(options: { maxBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  get(sha: string): string | undefined {
    const text = this.#texts.get(sha);
    if (text !== undefined) {
      this.#texts.delete(sha);
      this.#texts.set(sha, text);
    }
    return text;
  }

  set(sha: string, text: string): void {
    const previous = this.#texts.get(sha);
    if (previous !== undefined) {
      this.#texts.delete(sha);
      this.#bytes -= bytesOf(previous);
    }
    // A text larger than the whole cache would only evict everything else, then itself.
    if (bytesOf(text) > this.#maxBytes) return;
    this.#texts.set(sha, text);
    this.#bytes += bytesOf(text);
    for (const [oldest, oldText] of this.#texts) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#texts.delete(oldest);
      this.#bytes -= bytesOf(oldText);
    }
  }

  /** Number of blobs held. */
  get size(): number {
    return this.#texts.size;
  }

  /** Memory the held texts take, as counted against maxBytes. */
  get bytes(): number {
    return this.#bytes;
  }
}

function bytesOf(text: string): number {
  return text.length * 2;
}
