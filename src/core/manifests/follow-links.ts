import type { Diagnostic } from "../types.js";
import { isNeverRead, isScopeCandidate } from "./read-manifests.js";

/** Files that symbolic links make appear at other paths, and what was said about the links. */
export interface FollowedLinks {
  /** Path as the link shows it → the regular file it is. */
  aliases: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Links to links are followed this far; past it (a loop), the link is refused. */
const MAX_HOPS = 8;

/**
 * Follows symbolic links as kubectl, reading a directory, would: a link to a file of the
 * repository is that file at the link's path, a link to a directory shows its files under the
 * link's path. A link that leaves the repository (an absolute target, or `..` past its root) is
 * refused with a diagnostic: what it points to is not part of the revision, and may differ on
 * the machine that applies it. Pure: adapters list the tree's regular files and links' targets.
 */
export function followLinks(params: { files: readonly string[]; links: ReadonlyMap<string, string>; isRead: (path: string) => boolean }): FollowedLinks {
  const { isRead } = params;
  const files = new Set(params.files);
  const sorted = [...files].sort();
  const aliases = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const [link, target] of [...params.links].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isNeverRead(link)) continue;
    const say = (severity: Diagnostic["severity"], message: string): void => {
      diagnostics.push({ file: link, line: 1, severity, message });
    };
    let path = link;
    let text = target;
    let resolved: string | undefined;
    for (let hops = 0; hops < MAX_HOPS; hops++) {
      resolved = resolveTarget(path, text);
      if (resolved === undefined) break;
      const next = params.links.get(resolved);
      if (next === undefined) break;
      path = resolved;
      text = next;
    }
    if (resolved === undefined) {
      // A manifest's contents are out of sight: that fails closed. A directory link might hold any.
      say(isScopeCandidate(link) ? "error" : "warning", `symbolic link to \`${target}\` leaves the repository: not followed, so what it holds is not judged`);
      continue;
    }
    if (params.links.has(resolved)) {
      say("warning", `symbolic link to \`${target}\` is a loop of links: not followed`);
      continue;
    }
    // A file read at its own path is not read again through a link: kubectl would apply the
    // same object twice, which changes nothing, and the gate would see two sources of one.
    if (files.has(resolved)) {
      if (!isRead(link)) continue;
      if (isRead(resolved)) say("notice", `symbolic link to ${resolved}, which is read at its own path`);
      else {
        aliases.set(link, resolved);
        say("notice", `symbolic link: ${resolved} is read at this path`);
      }
      continue;
    }
    const prefix = `${resolved}/`;
    const inside = sorted.filter((file) => file.startsWith(prefix));
    if (inside.length > 0) {
      const through = inside.filter((file) => isRead(`${link}/${file.slice(prefix.length)}`) && !isRead(file));
      for (const file of through) aliases.set(`${link}/${file.slice(prefix.length)}`, file);
      if (through.length > 0) say("notice", `symbolic link to the directory ${resolved}: ${through.length} of its files are read under ${link}/`);
      else say("notice", `symbolic link to the directory ${resolved}, whose files are read at their own paths`);
      continue;
    }
    if (isScopeCandidate(link)) say("warning", `symbolic link to \`${target}\`, which is not in the repository: nothing is read`);
  }
  return { aliases, diagnostics };
}

/** The repository path a link's target names, or undefined when it leaves the repository. */
function resolveTarget(link: string, target: string): string | undefined {
  if (target.startsWith("/")) return undefined;
  const parts = link.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length === 0 ? undefined : parts.join("/");
}
