/**
 * Faults injected per route ("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", "POST /graphql",
 * or "*" for every route). Latency lasts until cleared; the others answer the next `times` calls.
 */
export type Fault =
  | { kind: "latency"; ms: number }
  | { kind: "server-error"; times: number; status?: 500 | 502 | 503 | 504 }
  /** 403 "You have exceeded a secondary rate limit" with retry-after, as GitHub throttles bursts. */
  | { kind: "secondary-rate-limit"; times: number; retryAfterSeconds?: number }
  /** 403 with x-ratelimit-remaining: 0 and x-ratelimit-reset, as when the hourly quota is spent. */
  | { kind: "rate-limit"; times: number; resetInSeconds?: number }
  /** No answer for `ms` (beyond the client's timeout), then the socket is destroyed. */
  | { kind: "hang"; times: number; ms?: number }
  /** The call is carried out (a check run created…), then left unanswered for `ms` and its socket destroyed: GitHub did it, the caller never learns. */
  | { kind: "lost-answer"; times: number; ms?: number }
  /** The socket is destroyed without an answer. */
  | { kind: "destroy"; times: number };

export type CountedFault = Exclude<Fault, { kind: "latency" }>;

/** Bounds, so a test cannot make the stand-in wait for ever. */
export const FAULT_LIMITS = { latencyMs: 60_000, hangMs: 120_000, times: 1_000_000, retryAfterSeconds: 3_600 };
export const DEFAULT_HANG_MS = 30_000;

export class FaultPlan {
  private readonly latency = new Map<string, number>();
  private readonly queued = new Map<string, { fault: CountedFault; left: number }[]>();

  add(route: string, fault: Fault): void {
    if (fault.kind === "latency") {
      if (!(fault.ms >= 0 && fault.ms <= FAULT_LIMITS.latencyMs)) throw new RangeError(`latency must be within 0..${FAULT_LIMITS.latencyMs} ms`);
      this.latency.set(route, fault.ms);
      return;
    }
    if (!(Number.isInteger(fault.times) && fault.times >= 1 && fault.times <= FAULT_LIMITS.times)) throw new RangeError(`times must be an integer within 1..${FAULT_LIMITS.times}`);
    if ((fault.kind === "hang" || fault.kind === "lost-answer") && fault.ms !== undefined && !(fault.ms >= 0 && fault.ms <= FAULT_LIMITS.hangMs)) throw new RangeError(`hang must be within 0..${FAULT_LIMITS.hangMs} ms`);
    const seconds = fault.kind === "secondary-rate-limit" ? fault.retryAfterSeconds : fault.kind === "rate-limit" ? fault.resetInSeconds : undefined;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 0 && seconds <= FAULT_LIMITS.retryAfterSeconds)) throw new RangeError(`seconds must be an integer within 0..${FAULT_LIMITS.retryAfterSeconds}`);
    this.queued.set(route, [...(this.queued.get(route) ?? []), { fault, left: fault.times }]);
  }

  /** The latency of a call: the route's plus the one set for every route. */
  latencyOf(route: string): number {
    return (this.latency.get(route) ?? 0) + (route === "*" ? 0 : (this.latency.get("*") ?? 0));
  }

  /** The fault the next call of `route` meets, if any (the route's own first, then "*"); consumes one use. */
  take(route: string): CountedFault | undefined {
    for (const key of [route, "*"]) {
      const queue = this.queued.get(key);
      const head = queue?.[0];
      if (!queue || !head) continue;
      if (--head.left <= 0) queue.shift();
      return head.fault;
    }
    return undefined;
  }

  clear(): void {
    this.latency.clear();
    this.queued.clear();
  }
}
