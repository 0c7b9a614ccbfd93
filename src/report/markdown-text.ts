/** Escapes text for HTML inside markdown (summaries, table cells). */
export function html(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Escapes markdown outside code spans: names, hosts and paths come from the manifests under review. */
export function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") && part.endsWith("`") && part.length > 1 ? part : html(part).replace(/[\\*_[\]|~]/g, (c) => `\\${c}`)))
    .join("");
}

/** A code fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/**
 * Text from a repository (a path, a name) as inline code it cannot break out of: an HTML
 * `<code>` element, its text escaped for HTML, and markdown's punctuation escaped too (markdown
 * still applies between HTML tags). A backtick code span would be closed by a backtick in the text;
 * a line break (git allows one in a path) would let the next line start a heading, so it shows as ⏎.
 */
export function code(text: string): string {
  return `<code>${html(text.replace(/\r?\n|\r/g, "⏎")).replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)}</code>`;
}
