import { describe, expect, it } from "vitest";
import { confirmDeliveries, confirmationTarget, groupByTarget, type Producers } from "../src/confirmations.ts";

const event = (id: string, type: string, source: string) => ({ id, type, source }) as never;

describe("confirming to the outbox an event came from", () => {
  it("happy path: platform events go back to their source's worker, integrators' events to this worker's outbox", () => {
    expect(confirmationTarget(event("1", "USER_CREATED", "auth"))).toBe("AUTH");
    expect(confirmationTarget(event("2", "COURSE_PURCHASED", "payments"))).toBe("PAYMENTS");
    // An integrator chooses its `source`; its event is in the events outbox whatever it claims.
    expect(confirmationTarget(event("3", "ENROLLMENT_REQUESTED", "payments"))).toBe("EVENTS");
    expect(confirmationTarget(event("4", "COURSE_PUBLISHED", "someone-else"))).toBe("EVENTS");
  });

  it("one call per producer for a whole batch", () => {
    const groups = groupByTarget([
      event("a", "USER_CREATED", "auth"),
      event("b", "COURSE_PURCHASED", "payments"),
      event("c", "USER_UPDATED", "auth"),
    ]);
    expect(Object.fromEntries(groups)).toEqual({ AUTH: ["a", "c"], PAYMENTS: ["b"] });
  });

  it("a producer that cannot confirm (its database is down) does not stop the others, and nothing throws", async () => {
    const calls: string[][] = [];
    const working = { confirmDelivered: async (ids: readonly string[]) => (calls.push([...ids]), ids.length) };
    const failing = { confirmDelivered: () => Promise.reject(new Error("database unreachable")) };
    const producers = { AUTH: failing, PAYMENTS: working } as unknown as Producers;
    await expect(
      confirmDeliveries(
        [event("a", "USER_CREATED", "auth"), event("b", "COURSE_PURCHASED", "payments")],
        producers,
        working,
      ),
    ).resolves.toBeUndefined();
    expect(calls).toEqual([["b"]]);
  });
});
