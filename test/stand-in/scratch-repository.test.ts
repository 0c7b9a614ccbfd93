import { afterEach, describe, expect, it } from "vitest";
import { ScratchRepository, createShopRepository } from "../../tools/github-stand-in/index.js";

const created: ScratchRepository[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((r) => r.remove()));
});

async function scratch(): Promise<ScratchRepository> {
  const repository = await ScratchRepository.create();
  created.push(repository);
  return repository;
}

describe("scratch repositories", () => {
  it("build the example shop with the same shas on every run", async () => {
    const a = await createShopRepository();
    created.push(a);
    const b = await createShopRepository();
    created.push(b);
    const tips = (r: ScratchRepository) => Promise.all(["main", "pr"].map((rev) => r.git.resolveCommit(rev)));
    expect(await tips(a)).toEqual(await tips(b));
    expect(await a.git.commitsBetween("main", "pr")).toHaveLength(1);
  });

  it("patch the parent's tree (null deletes), replace it when asked, and keep bytes as given", async () => {
    const repository = await scratch();
    await repository.commit({ branch: "main", files: { "a.txt": "a\n", "dir/b.bin": new Uint8Array([0, 255, 10, 13]) } });
    await repository.commit({ branch: "main", files: { "a.txt": null, "c.txt": "c\n" } });
    const listed = async (rev: string) => (await repository.git.tree((await repository.git.resolveTree(rev)) ?? "", true)).map((e) => e.path);
    expect(await listed("main")).toEqual(["c.txt", "dir", "dir/b.bin"]);
    const [binary] = await repository.git.headers(["main:dir/b.bin"]);
    expect([...((await repository.git.objects([binary?.sha ?? ""])).get(binary?.sha ?? "")?.content ?? [])]).toEqual([0, 255, 10, 13]);
    await repository.commit({ branch: "other", from: "main", replace: true, files: { "only.txt": "x" } });
    expect(await listed("other")).toEqual(["only.txt"]);
  });

  it("write many commits with one fast-import, chained on their branch", async () => {
    const repository = await scratch();
    await repository.commit({ branch: "main", files: { "a.txt": "0" } });
    const shas = await repository.commits([
      { branch: "main", files: { "a.txt": "1" } },
      { branch: "feature", from: "main", files: { "b.txt": "1" } },
      { branch: "main", files: { "a.txt": "2" } },
    ]);
    expect(shas).toHaveLength(3);
    const [first, feature, second] = await repository.git.commits(shas);
    expect(second?.parents).toEqual([first?.sha]);
    expect(feature?.parents).toEqual([first?.sha]);
    expect(await repository.git.resolveCommit("main")).toBe(second?.sha);
  });

  it("refuse paths and branch names fast-import would misread", async () => {
    const repository = await scratch();
    await expect(repository.commit({ branch: "main", files: { "../x": "x" } })).rejects.toThrow(/unsupported path/);
    await expect(repository.commit({ branch: "main", files: { "a\nb": "x" } })).rejects.toThrow(/unsupported path/);
    await expect(repository.commit({ branch: "-x", files: { a: "x" } })).rejects.toThrow(/unsupported branch/);
    await expect(repository.commit({ branch: "b", from: "nowhere", files: { a: "x" } })).rejects.toThrow(/no commit "nowhere"/);
  });
});
