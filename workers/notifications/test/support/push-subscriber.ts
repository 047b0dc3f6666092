import { createECDH, generateKeyPairSync, randomBytes, type ECDH } from "node:crypto";
import { decrypt } from "http_ece";

/**
 * A browser's side of Web Push for tests, built on Node's crypto and Mozilla's `http_ece` rather than on the
 * worker's code: its key pair and auth secret (what `PushSubscription.toJSON()` would show), and decryption of
 * what a push service hands it.
 */
export interface TestSubscriber {
  readonly keys: { readonly p256dh: string; readonly auth: string };
  /** The plaintext of an `aes128gcm` push body (throws when it was not encrypted to this subscriber). */
  decrypt(body: Uint8Array): string;
}

export function testSubscriber(): TestSubscriber {
  const ecdh: ECDH = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16).toString("base64url");
  return {
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth },
    decrypt: (body) =>
      decrypt(Buffer.from(body), { version: "aes128gcm", privateKey: ecdh, authSecret: auth }).toString("utf8"),
  };
}

/** A VAPID key as the dev stack makes one (tools/dev-stack/src/secret-vars.ts): an ES256 private JWK, as JSON. */
export function testVapidPrivateKey(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return JSON.stringify({ ...privateKey.export({ format: "jwk" }), alg: "ES256" });
}

/** The value, which the test knows is there (the lint forbids `!`): a missing one fails the test here, by name. */
export function the<T>(value: T | null | undefined, what = "an expected value"): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
