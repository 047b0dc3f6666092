import { describe, expect, it } from "vitest";
import { exactRuleFor } from "../src/rate-limit/rules.ts";

/**
 * The routes that mail someone on a stranger's say-so (a reset link, a verification link) are
 * counted per client as strictly as registrations, each in its own bucket.
 */
describe("account mail requests are limited like registrations", () => {
  it.each([
    ["/api/auth/password-reset", "password-reset"],
    ["/api/auth/verify-email/resend", "verification-resend"],
  ])("POST %s has its own exact rule with the registration settings", (path, name) => {
    expect(exactRuleFor("POST", path, {})).toMatchObject({ name, limit: 5, windowMs: 60_000 });
    const vars = { REGISTER_RATE_LIMIT: "2", REGISTER_RATE_WINDOW_SECONDS: "4" };
    expect(exactRuleFor("POST", path, vars)).toMatchObject({ name, limit: 2, windowMs: 4_000 });
  });

  it("not the confirmation of a link, which spends a token rather than sending mail", () => {
    expect(exactRuleFor("POST", "/api/auth/password-reset/confirm", {})).toBeUndefined();
    expect(exactRuleFor("POST", "/api/auth/verify-email", {})).toBeUndefined();
    expect(exactRuleFor("GET", "/api/auth/password-reset", {})).toBeUndefined();
  });
});
