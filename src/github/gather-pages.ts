/** GitHub's largest page: fewer calls per list. */
export const PER_PAGE = 100;

export interface Page<T> {
  data: T[];
  headers: { link?: string };
}

/**
 * Every item of a paginated GitHub list in two round trips at most: the first page tells the
 * last page's number (its `Link` header), and the pages after it are requested in parallel.
 * Octokit's own paginate follows `next` links one by one, which would make the number of
 * sequential round trips grow with the list.
 */
export async function gatherPages<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const first = await fetchPage(1);
  const last = lastPage(first.headers.link);
  if (last <= 1) return first.data;
  const rest = await Promise.all(Array.from({ length: last - 1 }, (_, i) => fetchPage(i + 2)));
  return [first.data, ...rest.map((page) => page.data)].flat();
}

/** The `page` of the `rel="last"` link, or 1 when there is none (a single page). */
function lastPage(link: string | undefined): number {
  if (link === undefined) return 1;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="last"/.exec(part);
    if (!match?.[1]) continue;
    const page = Number(new URL(match[1]).searchParams.get("page"));
    if (Number.isInteger(page) && page >= 1) return page;
  }
  return 1;
}
