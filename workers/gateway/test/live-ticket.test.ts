import { describe, expect, it } from "vitest";
import { issueTicket, verifyTicket } from "../src/live/ticket.ts";

const SECRET = "s".repeat(43);
const NOW = 1_800_000_000;
const USER = "0192f0c4-7a3e-7d11-9c2b-3f4e5a6b7c8d";

const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** A ticket with any payload at all, MAC'd with the real scheme: what only a holder of the secret could make. */
async function signedRaw(payloadJson: string, secret = SECRET): Promise<string> {
  const payload = b64(payloadJson);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(`edge-learning live ticket v1.${payload}`),
  );
  return `v1.${payload}.${Buffer.from(mac).toString("base64url")}`;
}

describe("live tickets: the happy path", () => {
  it("verifies a ticket it issued, with the learner, the expiry and a nonce", async () => {
    const { ticket, claims } = await issueTicket(SECRET, USER, NOW, 30);
    expect(claims).toMatchObject({ sub: USER, exp: NOW + 30 });
    expect(claims.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await verifyTicket(SECRET, ticket, NOW + 29, 30)).toEqual({ ok: true, claims });
    expect(ticket.length).toBeLessThan(300);
  });

  it("gives every ticket its own nonce", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 50; i += 1) nonces.add((await issueTicket(SECRET, USER, NOW, 30)).claims.nonce);
    expect(nonces.size).toBe(50);
  });
});

describe("live tickets: refused", () => {
  it("once expired, to the second", async () => {
    const { ticket } = await issueTicket(SECRET, USER, NOW, 30);
    expect(await verifyTicket(SECRET, ticket, NOW + 30, 30)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyTicket(SECRET, ticket, NOW + 3600, 30)).toEqual({ ok: false, reason: "expired" });
  });

  it("when it claims to live longer than tickets do, even with a genuine MAC", async () => {
    const long = await signedRaw(JSON.stringify({ sub: USER, exp: NOW + 3600, nonce: "n" }));
    expect(await verifyTicket(SECRET, long, NOW, 30)).toEqual({ ok: false, reason: "malformed" });
  });

  it("when signed with another secret", async () => {
    const { ticket } = await issueTicket("another secret of enough length, really", USER, NOW, 30);
    expect(await verifyTicket(SECRET, ticket, NOW, 30)).toEqual({ ok: false, reason: "forged" });
  });

  it("when its payload was changed (another learner, a later expiry)", async () => {
    const { ticket, claims } = await issueTicket(SECRET, USER, NOW, 30);
    const [version, , mac] = ticket.split(".");
    for (const changed of [
      { ...claims, sub: "0192f0c4-0000-7d11-9c2b-3f4e5a6b7c8d" },
      { ...claims, exp: claims.exp + 1 },
    ]) {
      const tampered = `${version}.${b64(JSON.stringify(changed))}.${mac}`;
      expect(await verifyTicket(SECRET, tampered, NOW, 30)).toEqual({ ok: false, reason: "forged" });
    }
  });

  it("when its MAC was changed or cut", async () => {
    const { ticket } = await issueTicket(SECRET, USER, NOW, 30);
    const flipped = `${ticket.slice(0, -2)}${ticket.endsWith("AA") ? "BA" : "AA"}`;
    expect(await verifyTicket(SECRET, flipped, NOW, 30)).toMatchObject({ ok: false });
    expect(await verifyTicket(SECRET, ticket.slice(0, -4), NOW, 30)).toEqual({ ok: false, reason: "malformed" });
  });

  it.each([
    ["empty", ""],
    ["an access token (three parts, not v1)", "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"],
    ["another version", "v2.e30.AAAA"],
    ["four parts", "v1.e30.AAAA.AAAA"],
    ["not base64url", "v1.e30.!!!!"],
    ["very long", `v1.${"A".repeat(600)}.AAAA`],
  ])("when it is %s", async (_, ticket) => {
    expect(await verifyTicket(SECRET, ticket, NOW, 30)).toEqual({ ok: false, reason: "malformed" });
  });

  it.each([
    ["not JSON", "not json"],
    ["no learner", JSON.stringify({ exp: NOW + 10, nonce: "n" })],
    ["no nonce", JSON.stringify({ sub: USER, exp: NOW + 10 })],
    ["an expiry that is not a number", JSON.stringify({ sub: USER, exp: `${NOW + 10}`, nonce: "n" })],
  ])("when its genuinely MAC'd payload has %s", async (_, payload) => {
    expect(await verifyTicket(SECRET, await signedRaw(payload), NOW, 30)).toEqual({ ok: false, reason: "malformed" });
  });
});
