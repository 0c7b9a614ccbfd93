import { describe, expect, it } from "vitest";
import { Deliveries } from "../../src/github/deliveries.js";

/** A handler that records `id` when it runs. */
const recording = (log: string[], id: string) => (): Promise<void> => {
  log.push(id);
  return Promise.resolve();
};

describe("Deliveries", () => {
  it("handles a delivery once: a duplicate while it runs, or after, is not handled", async () => {
    const deliveries = new Deliveries();
    const handled: string[] = [];
    let finish: () => void = () => undefined;
    const first = deliveries.handleOnce("a", () => {
      handled.push("a");
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    expect(await deliveries.handleOnce("a", recording(handled, "a again"))).toBe("in progress");
    finish();
    expect(await first).toBeUndefined();
    expect(await deliveries.handleOnce("a", recording(handled, "a again"))).toBe("handled");
    expect(await deliveries.handleOnce("b", recording(handled, "b"))).toBeUndefined();
    expect(handled).toEqual(["a", "b"]);
  });

  it("forgets a delivery whose handling failed, so that its redelivery is handled", async () => {
    const deliveries = new Deliveries();
    await expect(deliveries.handleOnce("a", () => Promise.reject(new Error("GitHub is down")))).rejects.toThrow("GitHub is down");
    const handled: string[] = [];
    expect(await deliveries.handleOnce("a", recording(handled, "a"))).toBeUndefined();
    expect(handled).toEqual(["a"]);
  });

  it("remembers a bounded number of deliveries, forgetting the oldest first", async () => {
    const deliveries = new Deliveries({ remembered: 2 });
    const handled: string[] = [];
    for (const id of ["a", "b", "c"]) await deliveries.handleOnce(id, recording(handled, id));
    for (const id of ["c", "b", "a"]) await deliveries.handleOnce(id, recording(handled, `${id} again`));
    expect(handled).toEqual(["a", "b", "c", "a again"]);
  });
});
