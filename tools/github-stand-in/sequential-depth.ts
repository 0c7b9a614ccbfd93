export interface Interval {
  start: number;
  end: number;
}

/**
 * The longest chain of calls made one after the other: each one starts after the previous one
 * ended (calls whose intervals overlap ran in parallel). Its length is the number of sequential
 * round trips a piece of work took, whatever the number of calls.
 * O(n log n): intervals in order of end; each extends the best chain ending before it starts.
 */
export function longestSequentialChain<T extends Interval>(intervals: readonly T[]): T[] {
  const byEnd = [...intervals].sort((a, b) => a.end - b.end || a.start - b.start);
  const depth: number[] = [];
  const previous: number[] = [];
  // bestUpTo[i]: index of the deepest chain among byEnd[0..i].
  const bestUpTo: number[] = [];
  byEnd.forEach((interval, i) => {
    // The last interval (before i) that ends no later than this one starts.
    let low = 0;
    let high = i - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((byEnd[mid]?.end ?? Infinity) <= interval.start) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    const before = found < 0 ? -1 : (bestUpTo[found] ?? -1);
    depth[i] = before < 0 ? 1 : (depth[before] ?? 0) + 1;
    previous[i] = before;
    const best = i === 0 ? -1 : (bestUpTo[i - 1] ?? -1);
    bestUpTo[i] = best >= 0 && (depth[best] ?? 0) >= (depth[i] ?? 0) ? best : i;
  });
  const chain: T[] = [];
  for (let i = bestUpTo[byEnd.length - 1] ?? -1; i >= 0; i = previous[i] ?? -1) {
    const interval = byEnd[i];
    if (interval) chain.unshift(interval);
  }
  return chain;
}

/** The number of sequential round trips in a set of calls (see longestSequentialChain). */
export function sequentialDepth(intervals: readonly Interval[]): number {
  return longestSequentialChain(intervals).length;
}
