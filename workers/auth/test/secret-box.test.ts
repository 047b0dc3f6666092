import { describe, expect, it } from "vitest";
import { SecretKeyError, isSealed, isSealedWithCurrentKey, openSecret, sealSecret } from "../src/secret-box.ts";

const newKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const KEY = newKey();
const OWNER = "0190b2c4-0000-7000-8000-000000000001";

describe("the secret box (AES-256-GCM, v2:<kid>:<iv>:<ct>)", () => {
  it("happy path: seals to a self-describing text without the plain text, and opens it again", async () => {
    const sealed = await sealSecret(KEY, "client-secret-ünïcode", OWNER);
    expect(sealed).toMatch(/^v2:[\w-]{8}:[\w-]{16}:[\w-]+$/);
    expect(sealed).not.toContain("client-secret");
    expect(isSealed(sealed)).toBe(true);
    expect(await openSecret(KEY, sealed, OWNER)).toBe("client-secret-ünïcode");
    // A fresh IV each time: the same secret never seals to the same text.
    expect(await sealSecret(KEY, "client-secret-ünïcode", OWNER)).not.toBe(sealed);
  });

  it("refuses a sealed value that was altered", async () => {
    const sealed = await sealSecret(KEY, "client-secret", OWNER);
    const [version, kid, iv, ct = ""] = sealed.split(":");
    const flipped = `${ct.slice(0, 5)}${ct[5] === "A" ? "B" : "A"}${ct.slice(6)}`;
    await expect(openSecret(KEY, `${version}:${kid}:${iv}:${flipped}`, OWNER)).rejects.toThrow();
    await expect(openSecret(KEY, `${sealed}:extra`, OWNER)).rejects.toThrow();
  });

  it("refuses the wrong key, and a value copied onto another owner", async () => {
    const sealed = await sealSecret(KEY, "client-secret", OWNER);
    await expect(openSecret(newKey(), sealed, OWNER)).rejects.toThrow();
    await expect(openSecret(KEY, sealed, "0190b2c4-0000-7000-8000-000000000002")).rejects.toThrow();
  });

  it("reads a secret stored before encryption as it is, with or without a key", async () => {
    expect(isSealed("legacy-plain-secret")).toBe(false);
    expect(await openSecret(KEY, "legacy-plain-secret", OWNER)).toBe("legacy-plain-secret");
    expect(await openSecret(undefined, "legacy-plain-secret", OWNER)).toBe("legacy-plain-secret");
  });

  it("needs a key of 32 bytes: none, or a short one, is a configuration error", async () => {
    await expect(sealSecret(undefined, "s", OWNER)).rejects.toThrow(SecretKeyError);
    await expect(sealSecret("", "s", OWNER)).rejects.toThrow(SecretKeyError);
    await expect(sealSecret(Buffer.alloc(16).toString("base64"), "s", OWNER)).rejects.toThrow(SecretKeyError);
    await expect(sealSecret("not base64 at all!", "s", OWNER)).rejects.toThrow(SecretKeyError);
    const sealed = await sealSecret(KEY, "s", OWNER);
    await expect(openSecret(undefined, sealed, OWNER)).rejects.toThrow(SecretKeyError);
  });
});

/** What the box wrote before key ids: `v1:<iv>:<ct>`, sealed the same way (AES-256-GCM, owner as AD). */
async function sealV1(keyText: string, plaintext: string, context: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", Buffer.from(keyText, "base64"), "AES-GCM", false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `v1:${Buffer.from(iv).toString("base64url")}:${Buffer.from(sealed).toString("base64url")}`;
}

describe("rotating OIDC_SECRETS_KEY (comma-separated: the first seals, all open)", () => {
  const OLD = newKey();
  const NEW = newKey();
  const rotated = `${NEW},${OLD}`;

  it("opens a value sealed with the old key after the rotation, and says it needs re-sealing", async () => {
    const sealedOld = await sealSecret(OLD, "client-secret", OWNER);
    expect(await isSealedWithCurrentKey(OLD, sealedOld)).toBe(true);
    expect(await openSecret(rotated, sealedOld, OWNER)).toBe("client-secret");
    expect(await isSealedWithCurrentKey(rotated, sealedOld)).toBe(false);
  });

  it("re-sealing puts the value under the new key: it then opens once the old key is dropped", async () => {
    const sealedOld = await sealSecret(OLD, "client-secret", OWNER);
    const resealed = await sealSecret(rotated, await openSecret(rotated, sealedOld, OWNER), OWNER);
    expect(resealed.split(":")[1]).not.toBe(sealedOld.split(":")[1]);
    expect(await isSealedWithCurrentKey(rotated, resealed)).toBe(true);
    expect(await openSecret(NEW, resealed, OWNER)).toBe("client-secret");
    // Not re-sealed, the old value is lost with the old key, and the error says which key is missing.
    const failure = openSecret(NEW, sealedOld, OWNER);
    await expect(failure).rejects.toThrow(SecretKeyError);
    await expect(failure).rejects.toThrow(`sealed with key ${sealedOld.split(":")[1]}`);
  });

  it("a key id is a hash of the key: the same key gives the same id, another key another", async () => {
    const a = (await sealSecret(OLD, "s", OWNER)).split(":")[1];
    expect((await sealSecret(`${OLD},${NEW}`, "s", OWNER)).split(":")[1]).toBe(a);
    expect((await sealSecret(NEW, "s", OWNER)).split(":")[1]).not.toBe(a);
  });

  it("reads v1 values (no key id) with whichever key sealed them, and asks for re-sealing", async () => {
    const v1 = await sealV1(OLD, "client-secret-v1", OWNER);
    expect(isSealed(v1)).toBe(true);
    expect(await openSecret(OLD, v1, OWNER)).toBe("client-secret-v1");
    expect(await openSecret(rotated, v1, OWNER)).toBe("client-secret-v1");
    expect(await isSealedWithCurrentKey(OLD, v1)).toBe(false);
    // Plain text from before encryption also needs sealing.
    expect(await isSealedWithCurrentKey(OLD, "legacy-plain-secret")).toBe(false);
  });

  it("a v1 value no configured key opens, or copied onto another owner, is a clear error", async () => {
    const v1 = await sealV1(OLD, "client-secret-v1", OWNER);
    await expect(openSecret(NEW, v1, OWNER)).rejects.toThrow(SecretKeyError);
    await expect(openSecret(NEW, v1, OWNER)).rejects.toThrow(/opens with none of the keys/);
    await expect(openSecret(rotated, v1, "0190b2c4-0000-7000-8000-000000000002")).rejects.toThrow(SecretKeyError);
  });

  it("a malformed key anywhere in the list is a configuration error naming its position", async () => {
    await expect(sealSecret(`${NEW},short`, "s", OWNER)).rejects.toThrow("OIDC_SECRETS_KEY (key 2)");
    await expect(sealSecret(" , ", "s", OWNER)).rejects.toThrow("OIDC_SECRETS_KEY is not set.");
    // Spaces around the commas are allowed.
    expect(await openSecret(`${NEW} , ${OLD}`, await sealSecret(OLD, "s", OWNER), OWNER)).toBe("s");
  });
});
