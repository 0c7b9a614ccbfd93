import { describe, expect, it } from "vitest";
import { followLinks } from "../../src/core/manifests/follow-links.js";

const isYaml = (path: string): boolean => /\.(ya?ml|json)$/.test(path);

describe("followLinks", () => {
  it("a link to a file not read at its own path shows that file at the link's path", () => {
    const result = followLinks({ files: ["shared/policy.txt"], links: new Map([["apps/policy.yaml", "../shared/policy.txt"]]), isRead: isYaml });
    expect([...result.aliases]).toEqual([["apps/policy.yaml", "shared/policy.txt"]]);
    expect(result.diagnostics).toEqual([{ file: "apps/policy.yaml", line: 1, severity: "notice", message: "symbolic link: shared/policy.txt is read at this path" }]);
  });

  it("a link to a file already read is said, and not read twice", () => {
    const result = followLinks({ files: ["apps/v2.yaml"], links: new Map([["apps/current.yaml", "v2.yaml"]]), isRead: isYaml });
    expect(result.aliases.size).toBe(0);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["symbolic link to apps/v2.yaml, which is read at its own path"]);
  });

  it("a link to a directory shows the files its own path leaves out, and is said either way", () => {
    const files = ["vendor/mesh/policy.yaml", "vendor/mesh/README.md"];
    const out = followLinks({ files, links: new Map([["mesh", "vendor/mesh"]]), isRead: (p) => isYaml(p) && !p.startsWith("vendor/") });
    expect([...out.aliases]).toEqual([["mesh/policy.yaml", "vendor/mesh/policy.yaml"]]);
    expect(out.diagnostics.map((d) => d.message)).toEqual(["symbolic link to the directory vendor/mesh: 1 of its files are read under mesh/"]);
    const all = followLinks({ files, links: new Map([["mesh", "vendor/mesh"]]), isRead: isYaml });
    expect(all.aliases.size).toBe(0);
    expect(all.diagnostics.map((d) => [d.file, d.severity, d.message])).toEqual([["mesh", "notice", "symbolic link to the directory vendor/mesh, whose files are read at their own paths"]]);
  });

  it("a link that leaves the repository is refused: an error for a manifest, a warning for a directory", () => {
    const links = new Map([["apps/a.yaml", "/etc/istio/policy.yaml"], ["apps/b.yaml", "../../outside.yaml"], ["charts", "../../charts"]]);
    const result = followLinks({ files: [], links, isRead: isYaml });
    expect(result.aliases.size).toBe(0);
    expect(result.diagnostics.map((d) => [d.file, d.severity])).toEqual([["apps/a.yaml", "error"], ["apps/b.yaml", "error"], ["charts", "warning"]]);
    expect(result.diagnostics[0]?.message).toBe("symbolic link to `/etc/istio/policy.yaml` leaves the repository: not followed, so what it holds is not judged");
  });

  it("chains of links are followed; loops and dangling links are said", () => {
    const links = new Map([["a.yaml", "b.yaml"], ["b.yaml", "real/c.yaml"], ["loop1.yaml", "loop2.yaml"], ["loop2.yaml", "loop1.yaml"], ["gone.yaml", "missing.yaml"]]);
    const result = followLinks({ files: ["real/c.yaml"], links, isRead: (p) => isYaml(p) && !p.startsWith("real/") });
    expect([...result.aliases]).toEqual([["a.yaml", "real/c.yaml"], ["b.yaml", "real/c.yaml"]]);
    const said = Object.fromEntries(result.diagnostics.map((d) => [d.file, d.severity]));
    expect(said).toEqual({ "a.yaml": "notice", "b.yaml": "notice", "gone.yaml": "warning", "loop1.yaml": "warning", "loop2.yaml": "warning" });
  });

  it("links under never-read paths are not looked at", () => {
    const result = followLinks({ files: [], links: new Map([["node_modules/x.yaml", "/etc/passwd"], [".git/hooks/y.yaml", "/tmp"]]), isRead: isYaml });
    expect(result).toEqual({ aliases: new Map(), diagnostics: [] });
  });
});
