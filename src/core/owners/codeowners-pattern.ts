// CODEOWNERS patterns, compiled once into per-segment tokens.
//
// Hand-written on purpose: every npm CODEOWNERS parser gets GitHub's semantics wrong somewhere.
// Most (`codeowners` among them) delegate to the `ignore` package, i.e. to .gitignore rules,
// which are not GitHub's: there `/*` and `docs/*` also match everything inside the directories
// they name, `README.md` matches `readme.md`, and `[ ]` ranges are honoured where GitHub skips
// the line (the `codeowners` package fails 7 of the 149 cases of the conformance table). The
// semantics here are GitHub's as recorded in that table
// (test/owners/fixtures/codeowners-cases.json), which hmarr/codeowners (Go) also follows.
//
// Matching works on path segments, never on regular expressions over the whole path: a glob
// never crosses `/`, so a path is a list of segments and a pattern a list of segment tokens.
// That keeps the cost linear in practice and free of catastrophic backtracking on hostile
// patterns, and lets the index (codeowners-index.ts) test a pattern against one directory at a
// time.

/** One token of a compiled pattern, tested against one path segment (or several, for `**`). */
export type SegmentToken =
  | { kind: "any-depth" }
  | { kind: "one" }
  | { kind: "literal"; text: string }
  | { kind: "glob"; glob: SegmentGlob };

/**
 * Which prefixes of a path the tokens must match exactly:
 * - `self-or-ancestor`: the path itself or one of its directories (`foo`, `docs/*.md`, `f*`);
 * - `self`: the whole path only (a lone `*` last: `docs/*` does not reach `docs/x/a.md`);
 * - `ancestor`: one of its directories only (a trailing `/` or `/**`).
 */
export type PatternReach = "self-or-ancestor" | "self" | "ancestor";

export interface CompiledPattern {
  tokens: readonly SegmentToken[];
  reach: PatternReach;
}

export type PatternCompilation = { ok: true; pattern: CompiledPattern } | { ok: false; reason: string };

/**
 * A glob within one segment: literal chunks separated by `*`. Without `?` the chunks are plain
 * strings; with `?` every chunk is an array of code points where `null` stands for `?` (one
 * code point, as GitHub counts characters, not UTF-16 units).
 */
export interface SegmentGlob {
  chunks: { kind: "text"; chunks: readonly string[] } | { kind: "points"; chunks: readonly (readonly (string | null)[])[] };
  /** The extension every matching segment must have (`ts` for `*.test.ts`), when one is implied. */
  extension: string | undefined;
}

/** Compiles a pattern as written in CODEOWNERS (escapes still in it). */
export function compilePattern(source: string): PatternCompilation {
  const unsupported = unsupportedSyntax(source);
  if (unsupported) return { ok: false, reason: unsupported };

  const rawSegments = source.split("/");
  const anchored = rawSegments[0] === "";
  if (anchored) rawSegments.shift();
  const directoryOnly = rawSegments.length > 1 && rawSegments[rawSegments.length - 1] === "";
  if (directoryOnly) rawSegments.pop();
  if (rawSegments.length === 0 || (rawSegments.length === 1 && rawSegments[0] === "")) {
    return { ok: false, reason: "the pattern names no path" };
  }
  if (rawSegments.includes("")) return { ok: false, reason: "the pattern has an empty segment (`//`)" };

  const tokens = rawSegments.map(segmentToken);
  // A pattern with no slash other than a trailing one matches at any depth, like `**/pattern`.
  if (!anchored && rawSegments.length === 1 && tokens[0]?.kind !== "any-depth") tokens.unshift({ kind: "any-depth" });

  let reach: PatternReach;
  if (directoryOnly) {
    reach = "ancestor";
  } else if (tokens[tokens.length - 1]?.kind === "any-depth") {
    // A trailing `**` needs at least one segment below: `foo/**` matches `foo/a`, not `foo`.
    tokens.pop();
    reach = "ancestor";
  } else if (tokens[tokens.length - 1]?.kind === "one") {
    reach = "self";
  } else {
    reach = "self-or-ancestor";
  }
  return { ok: true, pattern: { tokens, reach } };
}

/** Why GitHub would skip a line with this pattern, or undefined when it is supported. */
function unsupportedSyntax(source: string): string | undefined {
  if (source.startsWith("!")) return "negation (`!`) is not supported in CODEOWNERS";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined) return "the pattern ends with a lone backslash";
      if (next === "#") return "the `\\#` escape is not supported in CODEOWNERS (a pattern cannot start with `#`)";
      if (next === "/") return "an escaped slash (`\\/`) is not supported: a path segment cannot contain `/`";
      i++;
    } else if (ch === "[" || ch === "]") {
      return "character ranges (`[ ]`) are not supported in CODEOWNERS";
    } else if (ch === "*" && source[i + 1] === "*" && source[i + 2] === "*") {
      return "three or more consecutive asterisks are not a valid pattern";
    }
  }
  return undefined;
}

function segmentToken(raw: string): SegmentToken {
  if (raw === "**") return { kind: "any-depth" };
  if (raw === "*") return { kind: "one" };
  // Items: a literal code point, or `*` / `?` as wildcards (escaped ones arrive as literals).
  const items: ({ literal: string } | "*" | "?")[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? "";
    if (ch === "\\") {
      const next = raw.codePointAt(i + 1);
      if (next === undefined) break;
      const literal = String.fromCodePoint(next);
      items.push({ literal });
      i += literal.length;
    } else if (ch === "*" || ch === "?") {
      if (!(ch === "*" && items[items.length - 1] === "*")) items.push(ch);
    } else {
      const literal = String.fromCodePoint(raw.codePointAt(i) ?? 0);
      items.push({ literal });
      i += literal.length - 1;
    }
  }
  if (items.every((item) => typeof item === "object")) {
    return { kind: "literal", text: items.map((item) => item.literal).join("") };
  }

  const chunks: (string | null)[][] = [[]];
  for (const item of items) {
    if (item === "*") chunks.push([]);
    else chunks[chunks.length - 1]?.push(item === "?" ? null : item.literal);
  }
  const extension = impliedExtension(chunks[chunks.length - 1] ?? []);
  if (items.includes("?")) return { kind: "glob", glob: { chunks: { kind: "points", chunks }, extension } };
  return { kind: "glob", glob: { chunks: { kind: "text", chunks: chunks.map((chunk) => chunk.join("")) }, extension } };
}

/** The text after the last dot of the literal tail of the last chunk, if the tail has a dot. */
function impliedExtension(lastChunk: readonly (string | null)[]): string | undefined {
  const wildcard = lastChunk.lastIndexOf(null);
  const tail = lastChunk.slice(wildcard + 1).join("");
  const dot = tail.lastIndexOf(".");
  return dot < 0 ? undefined : tail.slice(dot + 1);
}

/** The extension of a path segment as the index keys it (undefined without a dot). */
export function segmentExtension(segment: string): string | undefined {
  const dot = segment.lastIndexOf(".");
  return dot < 0 ? undefined : segment.slice(dot + 1);
}

/**
 * Whether `tokens` match `segments[0..end)` exactly. `**` takes zero or more whole segments;
 * the classic backtrack-to-the-last-star algorithm is exact here because every other token
 * takes exactly one segment.
 */
export function matchesSegments(tokens: readonly SegmentToken[], segments: readonly string[], end: number): boolean {
  let t = 0;
  let s = 0;
  let starToken = -1;
  let starSegment = 0;
  while (s < end) {
    const token = tokens[t];
    if (token?.kind === "any-depth") {
      starToken = t++;
      starSegment = s;
    } else if (token !== undefined && tokenMatches(token, segments[s] ?? "")) {
      t++;
      s++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      s = ++starSegment;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === "any-depth") t++;
  return t === tokens.length;
}

function tokenMatches(token: SegmentToken, segment: string): boolean {
  switch (token.kind) {
    case "literal":
      return token.text === segment;
    case "one":
      return segment.length > 0;
    case "glob":
      return globMatches(token.glob, segment);
    case "any-depth":
      return true;
  }
}

/** Leftmost matching of each chunk between stars is exact for star-separated globs. */
function globMatches(glob: SegmentGlob, segment: string): boolean {
  const { chunks } = glob;
  return chunks.kind === "text" ? textGlobMatches(chunks.chunks, segment) : pointGlobMatches(chunks.chunks, Array.from(segment));
}

function textGlobMatches(chunks: readonly string[], segment: string): boolean {
  const first = chunks[0] ?? "";
  const last = chunks[chunks.length - 1] ?? "";
  const lastStart = segment.length - last.length;
  if (lastStart < first.length || !segment.startsWith(first) || !segment.endsWith(last)) return false;
  let position = first.length;
  for (let c = 1; c < chunks.length - 1; c++) {
    const chunk = chunks[c] ?? "";
    const found = segment.indexOf(chunk, position);
    if (found < 0 || found + chunk.length > lastStart) return false;
    position = found + chunk.length;
  }
  return true;
}

function pointGlobMatches(chunks: readonly (readonly (string | null)[])[], points: readonly string[]): boolean {
  const first = chunks[0] ?? [];
  const last = chunks[chunks.length - 1] ?? [];
  if (chunks.length === 1) return points.length === first.length && chunkAt(first, points, 0);
  const lastStart = points.length - last.length;
  if (lastStart < first.length || !chunkAt(first, points, 0) || !chunkAt(last, points, lastStart)) return false;
  let position = first.length;
  for (let c = 1; c < chunks.length - 1; c++) {
    const chunk = chunks[c] ?? [];
    let found = -1;
    for (let i = position; i + chunk.length <= lastStart; i++) {
      if (chunkAt(chunk, points, i)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    position = found + chunk.length;
  }
  return true;
}

function chunkAt(chunk: readonly (string | null)[], points: readonly string[], start: number): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const expected = chunk[i];
    const actual = points[start + i];
    if (actual === undefined || (expected !== null && expected !== actual)) return false;
  }
  return true;
}
