import { describe, expect, it } from "vitest";
import { markDropOff } from "../src/analytics/drop-off.ts";

/** The drop-off rule on its own; the figures it is fed come from analytics.routes.test.ts. */
const lesson = (position: number, stoppedHere: number) => ({ position, stoppedHere });

describe("the drop-off lesson", () => {
  it("is the lesson where the most learners stopped", () => {
    const marked = markDropOff([lesson(0, 1), lesson(1, 5), lesson(2, 2)]);
    expect(marked.map((each) => each.dropOff)).toEqual([false, true, false]);
  });

  it("is the earliest of lessons tied for the most, whatever order they come in", () => {
    expect(markDropOff([lesson(3, 4), lesson(1, 4), lesson(2, 1)]).map((each) => each.dropOff)).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("is none when nobody stopped anywhere, or there are no lessons", () => {
    expect(markDropOff([lesson(0, 0), lesson(1, 0)]).some((each) => each.dropOff)).toBe(false);
    expect(markDropOff([])).toEqual([]);
  });

  it("keeps each lesson's own fields", () => {
    expect(markDropOff([{ position: 0, stoppedHere: 2, title: "Welcome" }])).toEqual([
      { position: 0, stoppedHere: 2, title: "Welcome", dropOff: true },
    ]);
  });
});
