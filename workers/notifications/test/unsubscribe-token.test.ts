import { describe, expect, it } from "vitest";
import { listUnsubscribeHeaders, unsubscribeUrl } from "../src/unsubscribe/links.ts";
import { issueUnsubscribeToken, UnsubscribeTokenError, verifyUnsubscribeToken } from "../src/unsubscribe/token.ts";

/** The signed one-click unsubscribe token and link (real WebCrypto HMAC-SHA256). */
const secret = "unit-test-unsubscribe-secret-0123456789abcdef";
const userA = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d";
const userB = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8e";

describe("the unsubscribe token", () => {
  it("verifies as the user and category it was issued for", async () => {
    const token = await issueUnsubscribeToken(secret, userA, "learning");
    expect(token).toMatch(/^v1\.[0-9a-f-]{36}\.learning\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyUnsubscribeToken(secret, token)).toEqual({ userId: userA, category: "learning" });
  });

  it("cannot be bent to another user or category, another key, or a changed MAC", async () => {
    const token = await issueUnsubscribeToken(secret, userA, "learning");
    const [version, , , mac = ""] = token.split(".");
    const flipped = `${mac.slice(0, 10)}${mac[10] === "A" ? "B" : "A"}${mac.slice(11)}`;
    for (const forged of [
      token.replace(userA, userB),
      token.replace(".learning.", ".purchases."),
      token.replace(".learning.", ".security."),
      `${version}.${userA}.learning.${flipped}`,
      `v2${token.slice(2)}`,
      token.slice(0, -1),
      `${token}.extra`,
      "",
    ]) {
      expect(await verifyUnsubscribeToken(secret, forged), forged).toBeUndefined();
    }
    expect(await verifyUnsubscribeToken(`${secret}-other`, token)).toBeUndefined();
  });

  it("is never issued for security mail, nor without a long enough secret", async () => {
    await expect(issueUnsubscribeToken(secret, userA, "security")).rejects.toThrow(UnsubscribeTokenError);
    await expect(issueUnsubscribeToken(undefined, userA, "learning")).rejects.toThrow(/UNSUBSCRIBE_SECRET/);
    await expect(issueUnsubscribeToken("short", userA, "learning")).rejects.toThrow(/UNSUBSCRIBE_SECRET/);
    await expect(issueUnsubscribeToken(secret, "not-a-user", "learning")).rejects.toThrow(UnsubscribeTokenError);
  });
});

describe("the unsubscribe link", () => {
  it("is an absolute URL on the public origin, and the RFC 8058 headers point at it", async () => {
    const url = await unsubscribeUrl(
      { PUBLIC_ORIGIN: "https://learn.example.com", UNSUBSCRIBE_SECRET: secret },
      userA,
      "purchases",
    );
    const parsed = new URL(url);
    expect(parsed.origin).toBe("https://learn.example.com");
    expect(parsed.pathname).toBe("/api/notifications/unsubscribe");
    expect(await verifyUnsubscribeToken(secret, parsed.searchParams.get("token") ?? "")).toEqual({
      userId: userA,
      category: "purchases",
    });
    expect(listUnsubscribeHeaders(url)).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("is refused without a public origin, and for security mail", async () => {
    await expect(unsubscribeUrl({ UNSUBSCRIBE_SECRET: secret }, userA, "learning")).rejects.toThrow(/PUBLIC_ORIGIN/);
    await expect(
      unsubscribeUrl({ PUBLIC_ORIGIN: "https://learn.example.com", UNSUBSCRIBE_SECRET: secret }, userA, "security"),
    ).rejects.toThrow(UnsubscribeTokenError);
  });
});
