import { describe, expect, it } from "vitest";
import {
  attemptsAllowed,
  deliverySettings,
  MAX_RETRY_DELAY_SECONDS,
  retryDelaySeconds,
} from "../src/delivery/settings.ts";

describe("retry backoff", () => {
  it("doubles from the base with each refused attempt, capped at six hours", () => {
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelaySeconds(attempts, 60))).toEqual([60, 120, 240, 480, 960]);
    expect(retryDelaySeconds(20, 60)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(MAX_RETRY_DELAY_SECONDS).toBe(6 * 60 * 60);
  });

  it("reads its settings from the vars, and falls back to 60 s and 8 attempts on anything unusable", () => {
    expect(deliverySettings({})).toEqual({ retryBaseSeconds: 60, maxAttempts: 8 });
    expect(deliverySettings({ DELIVERY_RETRY_BASE_SECONDS: "1", DELIVERY_MAX_ATTEMPTS: "3" })).toEqual({
      retryBaseSeconds: 1,
      maxAttempts: 3,
    });
    expect(deliverySettings({ DELIVERY_RETRY_BASE_SECONDS: "soon", DELIVERY_MAX_ATTEMPTS: "0" })).toEqual({
      retryBaseSeconds: 60,
      maxAttempts: 8,
    });
  });

  it("gives in-app notices a few attempts only: the inbox is the record", () => {
    const settings = { retryBaseSeconds: 60, maxAttempts: 8 };
    expect(attemptsAllowed("email", settings)).toBe(8);
    expect(attemptsAllowed("push", settings)).toBe(8);
    expect(attemptsAllowed("in_app", settings)).toBe(3);
  });
});
