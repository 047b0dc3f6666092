import { describe, expect, it } from "vitest";
import { decide } from "../src/rate-limit/sliding-window.ts";

const rule = { limit: 3, windowMs: 10_000 };

/** Plays a client knocking at the given times; returns which were admitted. */
function play(times: readonly number[]): { admitted: number[]; refused: { at: number; retryAfterMs: number }[] } {
  const admitted: number[] = [];
  const refused: { at: number; retryAfterMs: number }[] = [];
  for (const at of times) {
    const verdict = decide(admitted, at, rule);
    if (verdict.allowed) admitted.push(at);
    else refused.push({ at, retryAfterMs: verdict.retryAfterMs });
  }
  return { admitted, refused };
}

describe("an exact sliding window", () => {
  it("admits up to the limit, then refuses, saying exactly when the oldest request leaves the window", () => {
    const { admitted, refused } = play([0, 1_000, 2_000, 3_000]);
    expect(admitted).toEqual([0, 1_000, 2_000]);
    expect(refused).toEqual([{ at: 3_000, retryAfterMs: 7_000 }]);
  });

  it("counts down what remains", () => {
    expect(decide([], 0, rule)).toEqual({ allowed: true, remaining: 2 });
    expect(decide([0, 1], 2, rule)).toEqual({ allowed: true, remaining: 0 });
  });

  it("admits again as soon as the retry time has passed, and not a moment before", () => {
    const admitted = [0, 1_000, 2_000];
    expect(decide(admitted, 9_999, rule).allowed).toBe(false);
    expect(decide(admitted, 10_000, rule).allowed).toBe(true);
  });

  it("never admits more than the limit in any window, however hard a client knocks", () => {
    const knocks = Array.from({ length: 600 }, (_, i) => i * 100); // 10 per second for a minute
    const { admitted } = play(knocks);
    for (const start of admitted) {
      expect(admitted.filter((at) => at >= start && at < start + rule.windowMs).length).toBeLessThanOrEqual(rule.limit);
    }
    // Refusals are not counted, so the client still gets the full limit in every window.
    expect(admitted).toHaveLength(3 * 6);
  });

  it("ignores what lies outside the window and copes with unordered input", () => {
    expect(decide([51_000, 1_000, 45_000, 50_000], 52_000, rule)).toEqual({ allowed: false, retryAfterMs: 3_000 });
  });

  it("waits for enough expiries when the limit was lowered under a full window", () => {
    expect(decide([0, 1_000, 2_000, 3_000], 4_000, { limit: 2, windowMs: 10_000 })).toEqual({
      allowed: false,
      retryAfterMs: 8_000,
    });
  });
});
