import { matchesSegments, segmentExtension, type SegmentToken } from "./codeowners-pattern.js";
import type { Codeowners, CodeownersRule } from "./parse-codeowners.js";

/** The owners of one path, with the line that decided it. */
export type OwnersOf =
  | { path: string; status: "owned"; owners: readonly string[]; rule: RuleRef }
  /** `rule` is present when the last matching line has no owners (it un-owns the path). */
  | { path: string; status: "unowned"; rule?: RuleRef }
  /** The CODEOWNERS file cannot be used: callers must fail closed, never read this as unowned. */
  | { path: string; status: "unknown"; reason: string };

export interface RuleRef {
  file: string;
  line: number;
  pattern: string;
}

export interface CodeownersIndex {
  ownersOf(path: string): OwnersOf;
}

interface Entry {
  /** Position of the rule in the file: the highest matching one wins. */
  order: number;
  tokens: readonly SegmentToken[];
}

/**
 * Rules keyed by what a segment must be for them to match exactly, so a lookup tests only a
 * handful of candidates instead of every line. Lists are sorted by descending order, so a scan
 * stops at the first match or once it can no longer beat the best match so far.
 */
interface RuleTable {
  byLastSegment: Map<string, Entry[]>;
  byLastExtension: Map<string, Entry[]>;
  byFirstSegment: Map<string, Entry[]>;
  unkeyed: Entry[];
}

const NONE = -1;

/**
 * Compiles the rules once into two tables: rules that match a directory (and so everything
 * below it) and rules that match a file exactly. The owner line of a path is then the higher of
 * its directory's best line, memoized per directory since paths share directories, and the
 * best line matching the file itself.
 */
export function codeownersIndex(codeowners: Codeowners): CodeownersIndex {
  if (codeowners.status === "unusable") {
    return { ownersOf: (path) => ({ path, status: "unknown", reason: codeowners.reason }) };
  }
  if (codeowners.status === "absent") return { ownersOf: (path) => ({ path, status: "unowned" }) };

  const { file, rules } = codeowners;
  const directoryTable = emptyTable();
  const fileTable = emptyTable();
  rules.forEach((rule, order) => {
    const entry = { order, tokens: rule.compiled.tokens };
    if (rule.compiled.reach !== "self") addEntry(directoryTable, entry);
    if (rule.compiled.reach !== "ancestor") addEntry(fileTable, entry);
  });
  for (const table of [directoryTable, fileTable]) {
    for (const list of [...table.byLastSegment.values(), ...table.byLastExtension.values(), ...table.byFirstSegment.values(), table.unkeyed]) {
      list.sort((a, b) => b.order - a.order);
    }
  }

  // Keyed by the directory with its trailing slash ("" = the root), so `/a` stays apart from the root.
  const directoryBest = new Map<string, number>();
  const bestForDirectoryOf = (path: string, segments: readonly string[]): number => {
    const depth = segments.length - 1;
    const keyEnds = [0];
    for (let d = 1; d <= depth; d++) keyEnds.push((keyEnds[d - 1] ?? 0) + (segments[d - 1] ?? "").length + 1);
    let known = depth;
    let best = NONE;
    for (; known >= 0; known--) {
      const memo = directoryBest.get(path.slice(0, keyEnds[known]));
      if (memo !== undefined) {
        best = memo;
        break;
      }
    }
    for (let d = known + 1; d <= depth; d++) {
      best = bestIn(directoryTable, segments, d, best);
      directoryBest.set(path.slice(0, keyEnds[d]), best);
    }
    return best;
  };

  return {
    ownersOf(path) {
      const segments = path.split("/");
      const best = bestIn(fileTable, segments, segments.length, bestForDirectoryOf(path, segments));
      const rule = rules[best];
      if (rule === undefined) return { path, status: "unowned" };
      const ref = ruleRef(file, rule);
      return rule.owners.length === 0 ? { path, status: "unowned", rule: ref } : { path, status: "owned", owners: rule.owners, rule: ref };
    },
  };
}

function ruleRef(file: string, rule: CodeownersRule): RuleRef {
  return { file, line: rule.line, pattern: rule.pattern };
}

function emptyTable(): RuleTable {
  return { byLastSegment: new Map(), byLastExtension: new Map(), byFirstSegment: new Map(), unkeyed: [] };
}

function addEntry(table: RuleTable, entry: Entry): void {
  const first = entry.tokens[0];
  const last = entry.tokens[entry.tokens.length - 1];
  if (last?.kind === "literal") push(table.byLastSegment, last.text, entry);
  else if (last?.kind === "glob" && last.glob.extension !== undefined) push(table.byLastExtension, last.glob.extension, entry);
  else if (first?.kind === "literal") push(table.byFirstSegment, first.text, entry);
  else table.unkeyed.push(entry);
}

function push(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** The highest rule order in `table` matching `segments[0..depth)` exactly, if above `floor`. */
function bestIn(table: RuleTable, segments: readonly string[], depth: number, floor: number): number {
  let best = bestInList(table.unkeyed, segments, depth, floor);
  if (depth === 0) return best;
  const last = segments[depth - 1] ?? "";
  best = bestInList(table.byLastSegment.get(last), segments, depth, best);
  const extension = segmentExtension(last);
  if (extension !== undefined) best = bestInList(table.byLastExtension.get(extension), segments, depth, best);
  return bestInList(table.byFirstSegment.get(segments[0] ?? ""), segments, depth, best);
}

function bestInList(list: readonly Entry[] | undefined, segments: readonly string[], depth: number, floor: number): number {
  if (list === undefined) return floor;
  for (const entry of list) {
    if (entry.order <= floor) return floor;
    if (matchesSegments(entry.tokens, segments, depth)) return entry.order;
  }
  return floor;
}
