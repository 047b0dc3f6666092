import { describe, expect, it } from "vitest";

// The schedule is pure arithmetic; the Durable Object that applies it is exercised in the platform tests.
import { FREE_FAILURES, LOCK_AFTER, LOCK_MS, MAX_DELAY_MS, delayAfter } from "../src/throttle-schedule.ts";

describe("failed-login delay schedule", () => {
  it("is free for the first failures, then doubles, capped, then locks", () => {
    const delays = Array.from({ length: LOCK_AFTER + 1 }, (_, failures) => delayAfter(failures));
    expect(delays.slice(0, FREE_FAILURES)).toEqual(Array(FREE_FAILURES).fill(0));
    for (let failures = FREE_FAILURES + 1; failures < LOCK_AFTER; failures++) {
      expect(delayAfter(failures)).toBeGreaterThanOrEqual(delayAfter(failures - 1));
      expect(delayAfter(failures)).toBeLessThanOrEqual(MAX_DELAY_MS);
    }
    expect(delayAfter(LOCK_AFTER)).toBe(LOCK_MS);
    expect(LOCK_MS).toBeLessThanOrEqual(60 * 60 * 1000);
  });
});

describe("a shortened schedule from vars", () => {
  it("takes the lock threshold, lock length and longest delay, and ignores nonsense", async () => {
    const { scheduleFrom, DEFAULT_SCHEDULE } = await import("../src/throttle-schedule.ts");
    const short = scheduleFrom({ LOGIN_LOCK_AFTER: "6", LOGIN_LOCK_SECONDS: "3", LOGIN_MAX_DELAY_SECONDS: "2" });
    expect([3, 4, 5, 6].map((failures) => delayAfter(failures, short))).toEqual([1000, 2000, 2000, 3000]);
    expect(scheduleFrom({ LOGIN_LOCK_AFTER: "-1", LOGIN_LOCK_SECONDS: "abc", LOGIN_MAX_DELAY_SECONDS: "0" })).toEqual(
      DEFAULT_SCHEDULE,
    );
    // A lock threshold inside the free failures would lock people out on their first typo.
    expect(scheduleFrom({ LOGIN_LOCK_AFTER: "2" }).lockAfter).toBe(DEFAULT_SCHEDULE.lockAfter);
  });
});
