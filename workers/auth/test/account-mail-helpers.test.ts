import { describe, expect, it } from "vitest";
import { publicOrigin, tokenLifetimeSeconds, verifyEmailLink } from "../src/account-links.ts";
import { localeHintFrom } from "../src/account-mail.ts";
import { maskEmail } from "../src/routes/email-change.ts";

describe("the links in account mails", () => {
  it("point at PUBLIC_ORIGIN, or at the issuer when it is unset, with the token as a query parameter", () => {
    const env = { JWT_ISSUER: "https://issuer.example/" };
    expect(publicOrigin(env)).toBe("https://issuer.example");
    expect(publicOrigin({ ...env, PUBLIC_ORIGIN: "http://127.0.0.1:8787" })).toBe("http://127.0.0.1:8787");
    expect(verifyEmailLink({ ...env, PUBLIC_ORIGIN: "https://learn.example" }, "a-b_c")).toBe(
      "https://learn.example/account/verify-email?token=a-b_c",
    );
  });

  it("live 48 h, 1 h and 24 h unless set, and a malformed setting falls back to the default", () => {
    expect(tokenLifetimeSeconds({}, "verify_email")).toBe(172_800);
    expect(tokenLifetimeSeconds({}, "reset_password")).toBe(3_600);
    expect(tokenLifetimeSeconds({}, "change_email")).toBe(86_400);
    expect(tokenLifetimeSeconds({ PASSWORD_RESET_TOKEN_TTL_SECONDS: "60" }, "reset_password")).toBe(60);
    for (const bad of ["", "0", "-5", "1h", "2.5"]) {
      expect(tokenLifetimeSeconds({ PASSWORD_RESET_TOKEN_TTL_SECONDS: bad }, "reset_password"), bad).toBe(3_600);
    }
  });
});

describe("what the mails are told", () => {
  it("the first language of Accept-Language, or nothing for a wildcard or garbage", () => {
    expect(localeHintFrom("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeHintFrom("en;q=0.5")).toBe("en");
    expect(localeHintFrom("*")).toBeUndefined();
    expect(localeHintFrom("<script>")).toBeUndefined();
    expect(localeHintFrom(undefined)).toBeUndefined();
  });

  it("the new address masked in the notice to the old one", () => {
    expect(maskEmail("ada.lovelace@example.com")).toBe("a•••@example.com");
    expect(maskEmail("a@example.com")).toBe("a•••@example.com");
  });
});
