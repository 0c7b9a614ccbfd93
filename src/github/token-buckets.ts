/** A bucket's size and refill: `burst` at once, then one every `refillMs`. */
export interface BucketRate {
  burst: number;
  refillMs: number;
}

/** Buckets remembered: the least recently used is forgotten past this (a full bucket, as a new one). */
const MAX_BUCKETS = 10_000;

/**
 * Token buckets by key, in this process's memory, on a clock the caller passes (tests use
 * their own). A bucket forgotten for size comes back full: the bound is on memory, not fairness.
 */
export class TokenBuckets {
  readonly #rate: BucketRate;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(rate: BucketRate) {
    this.#rate = rate;
  }

  /** Takes a token from `key`'s bucket at time `now` (ms); false when it is empty. */
  take(key: string, now: number): boolean {
    if (!this.peek(key, now)) return false;
    const bucket = this.#current(key, now);
    bucket.tokens -= 1;
    return true;
  }

  /** Whether `key`'s bucket holds a token at `now`, without taking it. */
  peek(key: string, now: number): boolean {
    return this.#current(key, now).tokens >= 1;
  }

  #current(key: string, now: number): { tokens: number; at: number } {
    const { burst, refillMs } = this.#rate;
    const previous = this.#buckets.get(key);
    const bucket = previous ? { tokens: Math.min(burst, previous.tokens + (now - previous.at) / refillMs), at: now } : { tokens: burst, at: now };
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    for (const oldest of this.#buckets.keys()) {
      if (this.#buckets.size <= MAX_BUCKETS) break;
      this.#buckets.delete(oldest);
    }
    return bucket;
  }
}

/** Commands per pull request (a burst of 5, then one every 12 s) and per author in an installation (10, then one a minute). */
export const COMMAND_RATES = { pullRequest: { burst: 5, refillMs: 12_000 }, user: { burst: 10, refillMs: 60_000 } } as const;
