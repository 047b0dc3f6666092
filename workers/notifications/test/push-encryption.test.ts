import { createECDH, createPublicKey } from "node:crypto";
import { decrypt } from "http_ece";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../src/push/base64url.ts";
import { MAX_PLAINTEXT_BYTES, PushEncryptionError, encryptPushMessage } from "../src/push/encrypt.ts";
import { loadVapidKeys, vapidAuthorization } from "../src/push/vapid.ts";
import { testSubscriber, testVapidPrivateKey, the } from "./support/push-subscriber.ts";

/**
 * RFC 8291 message encryption and RFC 8292 VAPID: what we encrypt, Mozilla's `http_ece` (the decryptor behind
 * the `web-push` package) decrypts with the subscriber's private key; the RFC's worked example comes out byte
 * for byte; the VAPID JWT verifies with the public key we serve.
 */

const bytes = (text: string) => new TextEncoder().encode(text);
const base64url = (text: string) => {
  const decoded = decodeBase64Url(text);
  if (!decoded) throw new Error(`not base64url: ${text}`);
  return decoded;
};

describe("encryption, decrypted by http_ece", () => {
  it("a notice's JSON comes back exactly, under a header of salt, rs 4096 and our ephemeral key", async () => {
    const subscriber = testSubscriber();
    const message = JSON.stringify({
      title: "Kurs abgeschlossen 🎉",
      body: "Glückwunsch",
      url: "/c/x",
      noticeId: null,
    });
    const body = await encryptPushMessage(subscriber.keys, bytes(message));

    expect(subscriber.decrypt(body)).toBe(message);
    const header = new DataView(body.buffer, body.byteOffset, 86);
    expect(header.getUint32(16)).toBe(4096);
    expect(header.getUint8(20)).toBe(65);
    expect(body[21]).toBe(0x04);
  });

  it("every message gets a fresh salt and ephemeral key", async () => {
    const subscriber = testSubscriber();
    const first = await encryptPushMessage(subscriber.keys, bytes("same"));
    const second = await encryptPushMessage(subscriber.keys, bytes("same"));
    expect(encodeBase64Url(first.slice(0, 16))).not.toBe(encodeBase64Url(second.slice(0, 16)));
    expect(encodeBase64Url(first.slice(21, 86))).not.toBe(encodeBase64Url(second.slice(21, 86)));
    expect(subscriber.decrypt(second)).toBe("same");
  });

  it("pads to a multiple of 128 bytes, so the push service cannot tell notices apart by length", async () => {
    const subscriber = testSubscriber();
    const short = await encryptPushMessage(subscriber.keys, bytes("a"));
    const longer = await encryptPushMessage(subscriber.keys, bytes("a".repeat(120)));
    // header 86 + padded record 128 + GCM tag 16
    expect(short.length).toBe(86 + 128 + 16);
    expect(longer.length).toBe(short.length);
    expect(subscriber.decrypt(longer)).toBe("a".repeat(120));
  });

  it("takes 3993 bytes of plaintext (a 4096-byte body) and refuses one more", async () => {
    const subscriber = testSubscriber();
    expect(MAX_PLAINTEXT_BYTES).toBe(3993);
    const largest = await encryptPushMessage(subscriber.keys, bytes("x".repeat(3993)));
    expect(largest.length).toBe(4096);
    expect(subscriber.decrypt(largest)).toHaveLength(3993);
    await expect(encryptPushMessage(subscriber.keys, bytes("x".repeat(3994)))).rejects.toThrow(PushEncryptionError);
  });

  it("a message for one subscriber does not decrypt for another", async () => {
    const [alice, bob] = [testSubscriber(), testSubscriber()];
    const body = await encryptPushMessage(alice.keys, bytes("for alice"));
    expect(() => bob.decrypt(body)).toThrow();
  });

  it.each([
    ["a p256dh of 64 bytes", { p256dh: encodeBase64Url(new Uint8Array(64).fill(4)), auth: "BTBZMqHH6r4Tts7J_aSIgg" }],
    ["a p256dh off the curve", { p256dh: encodeBase64Url(new Uint8Array(65).fill(4)), auth: "BTBZMqHH6r4Tts7J_aSIgg" }],
    ["an auth secret of 15 bytes", { p256dh: testSubscriber().keys.p256dh, auth: encodeBase64Url(new Uint8Array(15)) }],
    ["an auth secret that is not base64url", { p256dh: testSubscriber().keys.p256dh, auth: "BTBZMqHH6r4Tts7J+aSIgg" }],
  ])("refuses %s", async (_case, keys) => {
    await expect(encryptPushMessage(keys, bytes("x"))).rejects.toThrow(PushEncryptionError);
  });
});

/** RFC 8291 §5 and Appendix A. */
const RFC8291 = {
  plaintext: "When I grow up, I want to be a watermelon",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  body:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_y" +
    "l95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

describe("the RFC 8291 §5 example", () => {
  it("with its salt and sender key, our encryption writes the RFC's message byte for byte", async () => {
    const point = base64url(RFC8291.asPublic);
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: encodeBase64Url(point.slice(1, 33)),
      y: encodeBase64Url(point.slice(33)),
      d: RFC8291.asPrivate,
    };
    const senderKeys: CryptoKeyPair = {
      privateKey: await crypto.subtle.importKey("jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, false, [
        "deriveBits",
      ]),
      publicKey: await crypto.subtle.importKey("raw", point, { name: "ECDH", namedCurve: "P-256" }, true, []),
    };
    const body = await encryptPushMessage({ p256dh: RFC8291.uaPublic, auth: RFC8291.auth }, bytes(RFC8291.plaintext), {
      salt: base64url(RFC8291.salt),
      senderKeys,
      padToMultipleOf: 1,
    });
    expect(encodeBase64Url(body)).toBe(RFC8291.body);
  });

  it("http_ece reads the RFC's message with the user agent's private key (the decryptor is sound)", () => {
    const ua = createECDH("prime256v1");
    ua.setPrivateKey(Buffer.from(RFC8291.uaPrivate, "base64url"));
    const plaintext = decrypt(Buffer.from(RFC8291.body, "base64url"), {
      version: "aes128gcm",
      privateKey: ua,
      authSecret: RFC8291.auth,
    });
    expect(plaintext.toString("utf8")).toBe(RFC8291.plaintext);
  });
});

describe("VAPID", () => {
  const endpoint = "https://push.example.net/wpush/v2/abc?x=1";

  it("serves the key's public point (0x04 ‖ x ‖ y) and signs an ES256 JWT it verifies, for the endpoint's origin", async () => {
    const secret = testVapidPrivateKey();
    const jwk = JSON.parse(secret) as { x: string; y: string };
    const vapid = the(await loadVapidKeys({ VAPID_PRIVATE_KEY: secret, PUBLIC_ORIGIN: "https://learn.example.com" }));
    const point = base64url(vapid.publicKey);
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(0x04);
    expect(encodeBase64Url(point.slice(1, 33))).toBe(jwk.x);
    expect(encodeBase64Url(point.slice(33))).toBe(jwk.y);

    const now = Date.now();
    const header = await vapidAuthorization(vapid, endpoint, now);
    const match = /^vapid t=([^,\s]+), k=([A-Za-z0-9_-]+)$/.exec(header);
    expect(match?.[2]).toBe(vapid.publicKey);
    const token = the(match?.[1], "the token");
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "ES256", typ: "JWT" });

    // Verified with a key built from the served public key alone, as a push service does.
    const publicKey = createPublicKey({ key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, format: "jwk" });
    const { payload } = await jwtVerify(token, publicKey, { audience: "https://push.example.net" });
    expect(payload.sub).toBe("mailto:no-reply@learn.example.com");
    expect(payload.exp).toBeGreaterThan(now / 1000);
    expect(payload.exp).toBeLessThanOrEqual(now / 1000 + 24 * 60 * 60);
  });

  it("a token for one push service is refused by another (aud), and one signed by another key does not verify", async () => {
    const vapid = the(await loadVapidKeys({ VAPID_PRIVATE_KEY: testVapidPrivateKey() }));
    const other = JSON.parse(testVapidPrivateKey()) as { x: string; y: string };
    const token = the(/t=([^,]+)/.exec(await vapidAuthorization(vapid, endpoint))?.[1], "the token");
    const own = base64url(vapid.publicKey);
    const ownKey = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: encodeBase64Url(own.slice(1, 33)), y: encodeBase64Url(own.slice(33)) },
      format: "jwk",
    });
    await expect(jwtVerify(token, ownKey, { audience: "https://fcm.googleapis.com" })).rejects.toThrow(/aud/);
    const otherKey = createPublicKey({ key: { kty: "EC", crv: "P-256", x: other.x, y: other.y }, format: "jwk" });
    await expect(jwtVerify(token, otherKey)).rejects.toThrow(/signature/);
  });

  it("takes VAPID_SUBJECT as the contact when it is set", async () => {
    const vapid = the(
      await loadVapidKeys({
        VAPID_PRIVATE_KEY: testVapidPrivateKey(),
        VAPID_SUBJECT: "https://learn.example.com/contact",
        PUBLIC_ORIGIN: "https://learn.example.com",
      }),
    );
    const token = the(/t=([^,]+)/.exec(await vapidAuthorization(vapid, endpoint))?.[1], "the token");
    const claims = JSON.parse(Buffer.from(the(token.split(".")[1]), "base64url").toString()) as { sub: string };
    expect(claims.sub).toBe("https://learn.example.com/contact");
  });

  it("is off (null) without VAPID_PRIVATE_KEY, and a malformed key is an error, not a silent null", async () => {
    expect(await loadVapidKeys({})).toBeNull();
    expect(await loadVapidKeys({ VAPID_PRIVATE_KEY: "  " })).toBeNull();
    await expect(loadVapidKeys({ VAPID_PRIVATE_KEY: "{not json" })).rejects.toThrow(/not valid JSON/);
    const ed25519 = JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "abc", d: "def" });
    await expect(loadVapidKeys({ VAPID_PRIVATE_KEY: ed25519 })).rejects.toThrow(/P-256 private JWK/);
    const publicOnly = JSON.parse(testVapidPrivateKey()) as Record<string, string>;
    delete publicOnly.d;
    await expect(loadVapidKeys({ VAPID_PRIVATE_KEY: JSON.stringify(publicOnly) })).rejects.toThrow(/P-256 private JWK/);
  });
});
