/** Deliveries remembered as handled: hours of a busy installation's events, a few hundred kilobytes. */
const DEFAULT_REMEMBERED = 10_000;

/** What a delivery that arrived before meant for this one. */
export type Duplicate = "in progress" | "handled";

/**
 * Webhook deliveries by their id (X-GitHub-Delivery), so that one delivered twice (a
 * redelivery, or a proxy's retry, both keep the id) is handled once: while the first is in
 * progress the second is dropped, and so it is once the first was handled to the end. A
 * delivery whose handling failed is forgotten, so that a redelivery, which is how an admin
 * asks for it again, is handled. One process's memory: replicas do not share it.
 */
export class Deliveries {
  readonly #remembered: number;
  readonly #inProgress = new Set<string>();
  /** Insertion order is age order: the oldest is forgotten first. */
  readonly #handled = new Set<string>();

  constructor(options: { remembered?: number } = {}) {
    this.#remembered = options.remembered ?? DEFAULT_REMEMBERED;
  }

  /** Claims delivery `id` for a job that handles it: false when it was claimed before and not forgotten since. */
  claim(id: string): boolean {
    if (this.#inProgress.has(id) || this.#handled.has(id)) return false;
    this.#remember(id);
    return true;
  }

  /** Forgets delivery `id` (its job could not evaluate), so that a redelivery is handled. */
  forget(id: string): void {
    this.#handled.delete(id);
  }

  #remember(id: string): void {
    this.#handled.add(id);
    for (const oldest of this.#handled) {
      if (this.#handled.size <= this.#remembered) break;
      this.#handled.delete(oldest);
    }
  }

  /** Runs `handle` for delivery `id` unless it is a duplicate; then says which kind, and does not run it. */
  async handleOnce(id: string, handle: () => Promise<void>): Promise<Duplicate | undefined> {
    if (this.#inProgress.has(id)) return "in progress";
    if (this.#handled.has(id)) return "handled";
    this.#inProgress.add(id);
    try {
      await handle();
      this.#remember(id);
      return undefined;
    } finally {
      this.#inProgress.delete(id);
    }
  }
}
