import { describe, expect, it } from "vitest";
import { DEFAULT_COST, hashPassword, parseHash, verifyPassword } from "../src/password.ts";
import { checkPassword, commonPasswordCount } from "../src/password-policy.ts";

describe("password hashing (node:crypto scrypt, as workerd runs it under nodejs_compat)", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });

  it("keeps the cost in the hash, so a hash made at another cost still verifies", async () => {
    const cheap = await hashPassword("legacy password", { ln: 12, r: 8, p: 1 });
    expect(parseHash(cheap)?.cost).toEqual({ ln: 12, r: 8, p: 1 });
    expect(await verifyPassword("legacy password", cheap)).toBe(true);
  });

  it("uses a memory cost a Worker can afford (≤ 64 MiB) and that is not trivially cheap (≥ 16 MiB)", () => {
    const bytes = 128 * 2 ** DEFAULT_COST.ln * DEFAULT_COST.r * DEFAULT_COST.p;
    expect(bytes).toBeGreaterThanOrEqual(16 * 2 ** 20);
    expect(bytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });

  it("treats a malformed stored hash as a mismatch instead of throwing", async () => {
    expect(await verifyPassword("anything", "pbkdf2$oops")).toBe(false);
  });
});

describe("password policy", () => {
  it("ships at least 10,000 common passwords that would otherwise pass the length rule", () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it.each(["password", "12345678", "qwertyuiop", "iloveyou", "Password1"])("rejects %s as common", (password) => {
    expect(checkPassword(password)).toMatchObject({ ok: false });
  });

  it("accepts 8 to 128 characters with no composition rules", () => {
    expect(checkPassword("plainlowercasewords")).toEqual({ ok: true });
    expect(checkPassword("x".repeat(7) + "y")).toEqual({ ok: true });
    expect(checkPassword("z".repeat(128))).toEqual({ ok: true });
    expect(checkPassword("z".repeat(129))).toMatchObject({ ok: false });
    expect(checkPassword("seven77")).toMatchObject({ ok: false });
  });
});
