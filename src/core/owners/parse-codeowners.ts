import type { Diagnostic } from "../types.js";
import { compilePattern, type CompiledPattern } from "./codeowners-pattern.js";

/**
 * GitHub ignores a CODEOWNERS file of 3 MB or more. Decimal megabytes: of the two readings of
 * "3 MB", this one treats more files as unusable, which fails closed.
 */
export const CODEOWNERS_MAX_BYTES = 3_000_000;

/** One line of CODEOWNERS that GitHub applies. */
export interface CodeownersRule {
  /** 1-based line in the file. */
  line: number;
  /** The pattern as written, escapes included. */
  pattern: string;
  /** As written (`@user`, `@org/team`, `someone@example.com`); empty = the line makes paths unowned. */
  owners: readonly string[];
  compiled: CompiledPattern;
}

/**
 * What is known about a revision's code owners. `absent`: no CODEOWNERS file, nothing is owned.
 * `unusable`: a file exists that GitHub ignores; owners are unknown and every decision that
 * depends on them must fail closed, never read it as "unowned".
 */
export type Codeowners =
  | { status: "absent"; diagnostics: readonly Diagnostic[] }
  | { status: "parsed"; file: string; rules: readonly CodeownersRule[]; diagnostics: readonly Diagnostic[] }
  | { status: "unusable"; file: string; reason: string; diagnostics: readonly Diagnostic[] };

const USER = /^@[A-Za-z0-9_-]+$/;
const TEAM = /^@[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
// C0 controls other than tab, DEL, and U+FFFD (what a decoder leaves for invalid UTF-8).
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000A-\u001F\u007F\uFFFD]/;

function isValidOwner(owner: string): boolean {
  return USER.test(owner) || TEAM.test(owner) || EMAIL.test(owner);
}

/**
 * Parses one CODEOWNERS file. Never throws: a line GitHub would skip (negation, ranges, `\#`,
 * an invalid owner, binary content) is skipped here too and reported with its line and reason,
 * so the rules that remain are exactly the ones GitHub applies.
 */
export function parseCodeowners(file: string, text: string): Codeowners {
  if (utf8LengthReaches(text, CODEOWNERS_MAX_BYTES)) {
    const reason = `${file} is 3 MB or larger, and GitHub ignores such a file: code owners are unknown until it is made smaller`;
    return { status: "unusable", file, reason, diagnostics: [{ file, line: 1, severity: "error", message: reason }] };
  }
  const rules: CodeownersRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, index) => {
    const line = index + 1;
    const parsed = parseLine(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    if (parsed.kind === "blank") return;
    if (parsed.kind === "skipped") {
      diagnostics.push({ file, line, severity: "error", message: `line skipped, as GitHub skips it: ${parsed.reason}` });
      return;
    }
    if (parsed.truncatedBy !== undefined) {
      diagnostics.push({
        file,
        line,
        severity: "warning",
        message: `\`#\` starts a comment even inside a pattern, so this line's pattern is \`${parsed.pattern}\` and the rest (\`${parsed.truncatedBy}\`) is ignored`,
      });
    }
    rules.push({ line, pattern: parsed.pattern, owners: parsed.owners, compiled: parsed.compiled });
  });
  return { status: "parsed", file, rules, diagnostics };
}

type ParsedLine =
  | { kind: "blank" }
  | { kind: "skipped"; reason: string }
  | { kind: "rule"; pattern: string; owners: string[]; compiled: CompiledPattern; truncatedBy?: string };

function parseLine(raw: string): ParsedLine {
  const text = raw.replace(/^[ \t]+/, "");
  if (text === "" || text.startsWith("#")) return { kind: "blank" };
  if (NOT_TEXT.test(text)) return { kind: "skipped", reason: "it contains control characters or bytes that are not UTF-8 text" };

  // The pattern runs to the first unescaped space or tab; `\ ` keeps a space in it.
  let end = 0;
  while (end < text.length) {
    const ch = text[end];
    if (ch === " " || ch === "\t" || ch === "#") break;
    end += ch === "\\" ? 2 : 1;
  }
  end = Math.min(end, text.length);
  const pattern = text.slice(0, end);
  const rest = text.slice(end);
  const comment = rest.indexOf("#");
  const truncatedBy = rest.startsWith("#") ? rest.trimEnd() : undefined;
  const owners = (comment < 0 ? rest : rest.slice(0, comment)).split(/[ \t]+/).filter((owner) => owner !== "");

  const compilation = compilePattern(pattern);
  if (!compilation.ok) return { kind: "skipped", reason: compilation.reason };
  const invalid = owners.filter((owner) => !isValidOwner(owner));
  if (invalid.length > 0) {
    const list = invalid.map((owner) => `\`${owner}\``).join(", ");
    return { kind: "skipped", reason: `${list} ${invalid.length === 1 ? "is not a valid owner" : "are not valid owners"}: use @user, @org/team or an email address` };
  }
  return { kind: "rule", pattern, owners, compiled: compilation.pattern, ...(truncatedBy === undefined ? {} : { truncatedBy }) };
}

/** Whether the UTF-8 encoding of `text` has at least `limit` bytes, without encoding it. */
function utf8LengthReaches(text: string, limit: number): boolean {
  if (text.length >= limit) return true;
  if (text.length * 3 < limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes >= limit;
}
