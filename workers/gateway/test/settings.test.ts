import { describe, expect, it } from "vitest";
import { exactRuleFor } from "../src/rate-limit/rules.ts";
import { maxBodyBytes, positiveInteger } from "../src/settings.ts";

describe("limits read from wrangler vars", () => {
  it("production defaults when nothing is set", () => {
    expect(exactRuleFor("POST", "/api/auth/login", {})).toMatchObject({ name: "login", limit: 10, windowMs: 60_000 });
    expect(exactRuleFor("POST", "/api/auth/register", {})).toMatchObject({
      name: "register",
      limit: 5,
      windowMs: 60_000,
    });
    expect(maxBodyBytes({})).toBe(1024 * 1024);
  });

  it("the configured values when they are set", () => {
    const vars = { LOGIN_RATE_LIMIT: "3", LOGIN_RATE_WINDOW_SECONDS: "2", MAX_BODY_BYTES: "2048" };
    expect(exactRuleFor("POST", "/api/auth/login", vars)).toMatchObject({ limit: 3, windowMs: 2_000 });
    expect(maxBodyBytes(vars)).toBe(2048);
  });

  it.each(["", "ten", "-5", "0", "1e3", "2.5", "99999999999999999999"])(
    "the default, never something odd, for a malformed value (%j)",
    (value) => {
      expect(positiveInteger(value, 7)).toBe(7);
    },
  );

  it("an exact rule only for the sign-in and registration posts", () => {
    expect(exactRuleFor("GET", "/api/auth/login", {})).toBeUndefined();
    expect(exactRuleFor("POST", "/api/auth/refresh", {})).toBeUndefined();
    expect(exactRuleFor("POST", "/api/courses/login", {})).toBeUndefined();
  });
});

describe("signed deliveries", () => {
  it("exempts exactly Stripe's webhook and the bridge's inbound POSTs from per-client limits", async () => {
    const { isSignedDelivery } = await import("../src/rate-limit/rules.ts");
    expect(isSignedDelivery("POST", "/api/payments/webhooks/stripe")).toBe(true);
    expect(isSignedDelivery("POST", "/api/events/inbound")).toBe(true);
    expect(isSignedDelivery("GET", "/api/payments/webhooks/stripe")).toBe(false);
    expect(isSignedDelivery("POST", "/api/payments/webhooks/stripe/")).toBe(false);
    expect(isSignedDelivery("POST", "/api/auth/login")).toBe(false);
  });
});
