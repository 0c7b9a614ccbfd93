import { describe, expect, it } from "vitest";
import { fieldChanges } from "../../src/core/diff/field-changes.js";
import type { JsonValue } from "../../src/core/types.js";

describe("fieldChanges", () => {
  it("reports nothing for equal values, whatever the key order", () => {
    expect(fieldChanges({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it("gives leaves as JSON-pointer paths with before and after, null where a side has no field", () => {
    expect(fieldChanges({ spec: { mtls: { mode: "STRICT" } } }, { spec: { mtls: { mode: "PERMISSIVE" }, portLevelMtls: { "9090": { mode: "DISABLE" } } } })).toEqual([
      { path: "/spec/mtls/mode", pointer: "/spec/mtls/mode", before: "STRICT", after: "PERMISSIVE" },
      { path: "/spec/portLevelMtls", pointer: "/spec/portLevelMtls", before: null, after: { "9090": { mode: "DISABLE" } } },
    ]);
  });

  it("matches named list items by name: a reorder is no change, an edit is addressed by name", () => {
    const before: JsonValue = { subsets: [{ name: "stable", labels: { version: "v1" } }, { name: "canary", labels: { version: "v2" } }] };
    const reordered: JsonValue = { subsets: [{ name: "canary", labels: { version: "v2" } }, { name: "stable", labels: { version: "v1" } }] };
    expect(fieldChanges(before, reordered)).toEqual([]);
    const edited: JsonValue = { subsets: [{ name: "canary", labels: { version: "v3" } }, { name: "stable", labels: { version: "v1" } }] };
    expect(fieldChanges(before, edited)).toEqual([{ path: "/subsets/[name=canary]/labels/version", pointer: "/subsets/0/labels/version", before: "v2", after: "v3" }]);
  });

  it("addresses route destinations by subset, and an added or removed item as a whole", () => {
    const route = (weights: [string, number][]): JsonValue => ({
      http: [{ name: "default", route: weights.map(([subset, weight]) => ({ destination: { host: "frontend", subset }, weight })) }],
    });
    expect(fieldChanges(route([["stable", 90], ["canary", 10]]), route([["canary", 50], ["stable", 50]]))).toEqual([
      { path: "/http/[name=default]/route/[destination.subset=canary]/weight", pointer: "/http/0/route/0/weight", before: 10, after: 50 },
      { path: "/http/[name=default]/route/[destination.subset=stable]/weight", pointer: "/http/0/route/1/weight", before: 90, after: 50 },
    ]);
    expect(fieldChanges(route([["stable", 100]]), route([["stable", 90], ["canary", 10]]))).toEqual([
      { path: "/http/[name=default]/route/[destination.subset=stable]/weight", pointer: "/http/0/route/0/weight", before: 100, after: 90 },
      { path: "/http/[name=default]/route/[destination.subset=canary]", pointer: "/http/0/route/1", before: null, after: { destination: { host: "frontend", subset: "canary" }, weight: 10 } },
    ]);
  });

  it("keys gateway servers by port name, and escapes `/` and `~` in segments (RFC 6901)", () => {
    const server = (hosts: string[]): JsonValue => ({ servers: [{ port: { number: 443, name: "https/shop", protocol: "HTTPS" }, hosts }] });
    expect(fieldChanges(server(["./a.example.com"]), server(["./b.example.com"]))).toEqual([
      { path: "/servers/[port.name=https~1shop]/hosts", pointer: "/servers/0/hosts", before: ["./a.example.com"], after: ["./b.example.com"] },
    ]);
    expect(fieldChanges({ labels: { "a/b~c": "1" } }, { labels: { "a/b~c": "2" } })[0]?.path).toBe("/labels/a~1b~0c");
  });

  it("compares lists of scalars as sets where order does not matter, as lists where it does", () => {
    expect(fieldChanges({ hosts: ["a", "b"] }, { hosts: ["b", "a"] })).toEqual([]);
    expect(fieldChanges({ hosts: ["a", "b"] }, { hosts: ["b", "c"] })).toEqual([{ path: "/hosts", pointer: "/hosts", before: ["a", "b"], after: ["b", "c"] }]);
    expect(fieldChanges({ args: ["--a", "--b"] }, { args: ["--b", "--a"] })).toEqual([{ path: "/args", pointer: "/args", before: ["--a", "--b"], after: ["--b", "--a"] }]);
  });

  it("reports a reorder of http routes once, as [order]: the first matching route wins", () => {
    const a = { name: "header-0", match: [{ headers: { x: { exact: "1" } } }] };
    const b = { name: "default" };
    expect(fieldChanges({ http: [a, b] }, { http: [b, a] })).toEqual([{ path: "/http/[order]", pointer: "/http", before: ["header-0", "default"], after: ["default", "header-0"] }]);
  });

  it("matches unkeyed items of an unordered list by content, then by position", () => {
    const rule = (ns: string): JsonValue => ({ from: [{ source: { namespaces: [ns] } }] });
    expect(fieldChanges({ rules: [rule("a"), rule("b")] }, { rules: [rule("b"), rule("a")] })).toEqual([]);
    expect(fieldChanges({ rules: [rule("a"), rule("b")] }, { rules: [rule("b"), rule("c")] })).toEqual([
      { path: "/rules/1/from/0/source/namespaces", pointer: "/rules/1/from/0/source/namespaces", before: ["a"], after: ["c"] },
    ]);
  });

  it("keys destinations by host when they have no subset; what the head adds comes before what it dropped", () => {
    expect(fieldChanges({ http: [{ route: [{ destination: { host: "a" } }] }] }, { http: [{ route: [{ destination: { host: "b" } }] }] })).toEqual([
      { path: "/http/0/route/[destination.host=b]", pointer: "/http/0/route/0", before: null, after: { destination: { host: "b" } } },
      { path: "/http/0/route/[destination.host=a]", pointer: "/http/0/route/0", before: { destination: { host: "a" } }, after: null },
    ]);
  });

  it("falls back to positions when names are repeated", () => {
    const routes = (timeout: string): JsonValue => ({ http: [{ name: "x", timeout: "1s" }, { name: "x", timeout }] });
    expect(fieldChanges(routes("2s"), routes("3s"))).toEqual([{ path: "/http/1/timeout", pointer: "/http/1/timeout", before: "2s", after: "3s" }]);
  });
});
