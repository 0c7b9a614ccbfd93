import { CouldNotEvaluate } from "./target.js";

/**
 * Awaits every promise, then returns their values or throws. Unlike Promise.all it never
 * leaves requests running after a failure, so an evaluation ends with nothing in flight; when
 * several fail, a CouldNotEvaluate (the reason users should read) wins over the others.
 */
export async function gatherSettled<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  const failure = failures.find((reason) => reason instanceof CouldNotEvaluate) ?? failures[0];
  if (failures.length > 0) throw failure;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
