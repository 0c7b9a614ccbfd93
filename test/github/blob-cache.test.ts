import { describe, expect, it } from "vitest";
import { BlobCache } from "../../src/github/blob-cache.js";

describe("BlobCache", () => {
  it("returns what was set, by sha", () => {
    const cache = new BlobCache();
    cache.set("a", "kind: Application\n");
    expect(cache.get("a")).toBe("kind: Application\n");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("evicts the least recently used texts once over its byte bound (two bytes per UTF-16 unit)", () => {
    const cache = new BlobCache({ maxBytes: 60 });
    cache.set("a", "x".repeat(10)); // 20 bytes
    cache.set("b", "y".repeat(10));
    cache.set("c", "z".repeat(10));
    expect(cache.bytes).toBe(60);
    expect(cache.get("a")).toBe("x".repeat(10)); // a is now the most recent
    cache.set("d", "w".repeat(10));
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("a"), cache.get("c"), cache.get("d")].every((t) => t !== undefined)).toBe(true);
    expect({ size: cache.size, bytes: cache.bytes }).toEqual({ size: 3, bytes: 60 });
  });

  it("evicts as many as a large text needs, and never holds a text larger than itself", () => {
    const cache = new BlobCache({ maxBytes: 100 });
    for (const sha of ["a", "b", "c", "d"]) cache.set(sha, sha.repeat(10));
    cache.set("big", "B".repeat(45)); // 90 bytes: only it fits
    expect({ size: cache.size, bytes: cache.bytes, big: cache.get("big")?.length }).toEqual({ size: 1, bytes: 90, big: 45 });
    cache.set("huge", "H".repeat(51));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("big")).toBeDefined();
  });

  it("replaces a text set twice without counting it twice", () => {
    const cache = new BlobCache({ maxBytes: 100 });
    cache.set("a", "x".repeat(10));
    cache.set("a", "x".repeat(10));
    expect({ size: cache.size, bytes: cache.bytes }).toEqual({ size: 1, bytes: 20 });
  });
});
