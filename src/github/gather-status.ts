/** The HTTP status of an Octokit request error, if it is one: how a read tells "not there" from a failure. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}
