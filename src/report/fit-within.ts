/** What a cut text ends with, so a reader knows something is missing and where to get it. */
const TRUNCATION_NOTE = "\n\n… truncated to fit GitHub's limit; run `meshgate check` locally for all of it.\n";

/** `text` within `limit` characters (UTF-16 units, never fewer than GitHub counts); when cut, a note at the end says so. */
export function fitWithin(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit - TRUNCATION_NOTE.length);
  // Never leave half of a surrogate pair at the cut.
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}${TRUNCATION_NOTE}`.slice(0, limit);
}
