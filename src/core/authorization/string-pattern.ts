// Istio's string matching for authorization fields: `*` alone (presence: any non-empty value),
// a prefix `x*`, a suffix `*x`, otherwise exact. Paths also take the `{*}` / `{**}` templates
// (one segment / any number of segments), which Istio supports for `paths` and `notPaths`.

/** Whether a value matches one of Istio's string patterns. */
export function matchesPattern(pattern: string, value: string, options: { template?: boolean } = {}): boolean {
  if (options.template && pattern.includes("{")) return templateRegex(pattern).test(value);
  if (pattern === "*") return value !== "";
  if (pattern.length > 1 && pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.length > 1 && pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

function templateRegex(pattern: string): RegExp {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const source = pattern
    .split("/")
    .map((segment, i) => (segment === "{**}" ? (i === 0 ? ".*" : "(?:/.*)?") : `${i === 0 ? "" : "/"}${segment === "{*}" ? "[^/]+" : escape(segment)}`))
    .join("");
  return new RegExp(`^${source}$`);
}

/** The strings a field can hold: `prefix` followed by at least one character of `alphabet`. */
export interface StringDomain {
  prefix: string;
  alphabet: string;
  /** The characters the part after `prefix` may start with, when fewer than `alphabet` (a DNS label never starts with `-`). */
  first?: string;
}

/**
 * Whether the patterns match every string of a domain. Exact, prefix and suffix patterns are
 * weighed together by walking the tree of prefixes (or of suffixes) character by character: a
 * caller who lists `a*` … `z*`, `0*` … `9*` covers every namespace as surely as `*` does.
 * Prefix and suffix patterns mixed in one list are weighed each on its own (either family may
 * cover alone); a cover that needs both is not recognised.
 */
export function coversEvery(patterns: readonly string[], domain: StringDomain): boolean {
  if (patterns.includes("*")) return true;
  // `/{**}` is any number of segments after the root: every path.
  if (domain.prefix === "/" && patterns.some((p) => p === "/{**}" || p === "{**}")) return true;
  const prefixes: string[] = [];
  const exact: string[] = [];
  const suffixes: string[] = [];
  for (const pattern of patterns) {
    if (pattern.length > 1 && pattern.endsWith("*")) {
      const head = pattern.slice(0, -1);
      if (domain.prefix.startsWith(head)) return true;
      if (head.startsWith(domain.prefix)) prefixes.push(head.slice(domain.prefix.length));
    } else if (pattern.length > 1 && pattern.startsWith("*")) {
      suffixes.push(Array.from(pattern.slice(1)).reverse().join(""));
    } else if (pattern.startsWith(domain.prefix)) {
      exact.push(pattern.slice(domain.prefix.length));
    }
  }
  const alphabet = [...new Set(Array.from(domain.alphabet))];
  const first = domain.first !== undefined ? [...new Set(Array.from(domain.first))] : alphabet;
  const reversed = exact.map((e) => Array.from(domain.prefix + e).reverse().join(""));
  return coversNonEmpty(prefixes, exact, alphabet, first) || (domain.prefix === "" && coversNonEmpty(suffixes, reversed, alphabet));
}

/** Every non-empty string over the alphabet starts with a prefix of the list, or is an exact value. */
function coversNonEmpty(prefixes: readonly string[], exact: readonly string[], alphabet: readonly string[], first: readonly string[] = alphabet): boolean {
  if (prefixes.length === 0) return false;
  return first.every((c) => coversFrom(after(prefixes, c), after(exact, c), alphabet));
}

/** Every string over the alphabet, the empty one included. */
function coversFrom(prefixes: readonly string[], exact: readonly string[], alphabet: readonly string[]): boolean {
  if (prefixes.includes("")) return true;
  return exact.includes("") && coversNonEmpty(prefixes, exact, alphabet);
}

function after(values: readonly string[], c: string): string[] {
  return values.filter((v) => v.startsWith(c)).map((v) => v.slice(c.length));
}

/** Whether the patterns match every value of a finite set (HTTP methods). */
export function coversAll(patterns: readonly string[], values: readonly string[]): boolean {
  return values.every((v) => patterns.some((p) => matchesPattern(p, v)));
}
