import { describe, expect, it } from "vitest";
import { SecretKeyError, isSealed, openSecret, sealSecret } from "../src/secret-box.ts";

const newKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const KEY = newKey();
const OWNER = "0190b2c4-0000-7000-8000-000000000001";

describe("the secret box (AES-256-GCM, v1:<iv>:<ct>)", () => {
  it("happy path: seals to a self-describing text without the plain text, and opens it again", async () => {
    const sealed = await sealSecret(KEY, "client-secret-ünïcode", OWNER);
    expect(sealed).toMatch(/^v1:[\w-]{16}:[\w-]+$/);
    expect(sealed).not.toContain("client-secret");
    expect(isSealed(sealed)).toBe(true);
    expect(await openSecret(KEY, sealed, OWNER)).toBe("client-secret-ünïcode");
    // A fresh IV each time: the same secret never seals to the same text.
    expect(await sealSecret(KEY, "client-secret-ünïcode", OWNER)).not.toBe(sealed);
  });

  it("refuses a sealed value that was altered", async () => {
    const sealed = await sealSecret(KEY, "client-secret", OWNER);
    const [version, iv, ct = ""] = sealed.split(":");
    const flipped = `${ct.slice(0, 5)}${ct[5] === "A" ? "B" : "A"}${ct.slice(6)}`;
    await expect(openSecret(KEY, `${version}:${iv}:${flipped}`, OWNER)).rejects.toThrow();
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
