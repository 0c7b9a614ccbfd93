/** A comment command addressed to meshgate. */
export type Command =
  | { name: "render"; app?: string }
  | { name: "diff" }
  | { name: "recheck" }
  | { name: "explain"; rule?: string }
  /** `unknown`: what was asked when meshgate was addressed with a command it does not know. */
  | { name: "help"; unknown?: string };

const NAMES = new Set(["render", "diff", "recheck", "explain", "help"]);

/**
 * The command a PR comment gives: the first line, outside fenced code and quotes, that reads
 * `/render [app]`, `/diff`, `/recheck`, `/explain RULE-ID`, `/help` or `/meshgate <command>`.
 * A bare `/other` is left alone (other bots share the slash namespace); `/meshgate other` is
 * meshgate's, and gets the help.
 */
export function parseCommand(body: string): Command | undefined {
  let fenced = false;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || !line.startsWith("/")) continue;
    const words = line.slice(1).split(/\s+/);
    const addressed = words[0]?.toLowerCase() === "meshgate";
    const [word, arg] = addressed ? words.slice(1) : words;
    const name = word?.toLowerCase();
    if (name === undefined || name === "") {
      if (addressed) return { name: "help" };
      continue;
    }
    if (!NAMES.has(name)) {
      if (addressed) return { name: "help", unknown: word };
      continue;
    }
    return commandOf(name, arg);
  }
  return undefined;
}

function commandOf(name: string, arg: string | undefined): Command {
  switch (name) {
    case "render":
      return arg === undefined ? { name } : { name, app: arg };
    case "explain":
      return arg === undefined ? { name } : { name, rule: arg.toUpperCase() };
    case "diff":
    case "recheck":
      return { name };
    default:
      return { name: "help" };
  }
}
