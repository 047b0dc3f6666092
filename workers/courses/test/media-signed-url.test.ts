import { describe, expect, it } from "vitest";
import {
  EXPIRY_STEP_SECONDS,
  LINK_LIFETIME_SECONDS,
  LINK_PARAMS,
  MAX_LINK_LIFETIME_SECONDS,
  linkExpiry,
  mediaLinks,
  plainMediaLinks,
  signedCacheControl,
} from "../src/media/media-links.ts";
import { MediaSecretError, secretsOf, signMediaLink, verifyMediaLink } from "../src/media/signed-url.ts";

/**
 * The media-link signer on its own: what a MAC covers (key, user, expiry), expiry and lifetime,
 * rotation, and the configuration it refuses. The routes and platform tests prove the same links
 * through the media route.
 */
const SECRET = "media-test-secret-0123456789abcdef-0123456789";
const OLD_SECRET = "media-old-secret-abcdef0123456789-abcdef0123";
const COURSE = "0190a0b0-0000-7000-8000-000000000001";
const OTHER_COURSE = "0190a0b0-0000-7000-8000-000000000002";
const KEY = `courses/${COURSE}/0190a0b0-1111-7000-8000-000000000001/intro.mp4`;
const USER = "0190a0b0-2222-7000-8000-000000000001";
const OTHER_USER = "0190a0b0-2222-7000-8000-000000000002";
const NOW = 1_800_000_000;
const EXPIRES = NOW + LINK_LIFETIME_SECONDS;
const claims = { objectKey: KEY, userId: USER, expires: EXPIRES };

const verify = (signature: string, changed: Partial<typeof claims> = {}, setting = SECRET, now = NOW) =>
  verifyMediaLink(setting, { ...claims, ...changed }, signature, now, MAX_LINK_LIFETIME_SECONDS);

describe("signing and verifying a media link", () => {
  it("a link verifies for its key, user and expiry until it expires", async () => {
    const signature = await signMediaLink(SECRET, claims);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verify(signature)).toEqual({ ok: true, claims });
    expect(await verify(signature, {}, SECRET, EXPIRES - 1)).toMatchObject({ ok: true });
  });

  it.each([
    ["another key of the course", { objectKey: `courses/${COURSE}/0190a0b0-1111-7000-8000-000000000002/intro.mp4` }],
    ["the same file under another course", { objectKey: KEY.replace(COURSE, OTHER_COURSE) }],
    ["another user", { userId: OTHER_USER }],
    ["a later expiry", { expires: EXPIRES + 60 }],
    ["an earlier expiry", { expires: EXPIRES - 60 }],
  ])("refuses the signature for %s as forged", async (_what, changed) => {
    const signature = await signMediaLink(SECRET, claims);
    expect(await verify(signature, changed)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses a signature made with another secret, altered, cut short, or not base64url, as forged", async () => {
    const signature = await signMediaLink(SECRET, claims);
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    for (const bad of [
      await signMediaLink(OLD_SECRET, claims),
      flipped,
      signature.slice(0, 42),
      `${signature}AA`,
      signature.replace(/.$/, "="),
      "",
      "not base64 at all!",
    ]) {
      expect(await verify(bad), bad).toEqual({ ok: false, reason: "forged" });
    }
  });

  it("calls a genuine link expired from its expiry on, and only a genuine one", async () => {
    const signature = await signMediaLink(SECRET, claims);
    expect(await verify(signature, {}, SECRET, EXPIRES)).toEqual({ ok: false, reason: "expired" });
    expect(await verify(signature, {}, SECRET, EXPIRES + 86_400)).toEqual({ ok: false, reason: "expired" });
    // A made-up link learns nothing from its expiry: it is forged, expired or not.
    const forged = await signMediaLink(OLD_SECRET, claims);
    expect(await verify(forged, {}, SECRET, EXPIRES + 1)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses a genuine signature over an expiry further off than any link lives (a leaked secret's long link)", async () => {
    const far = { ...claims, expires: NOW + MAX_LINK_LIFETIME_SECONDS + 3600 };
    const signature = await signMediaLink(SECRET, far);
    expect(await verify(signature, far)).toEqual({ ok: false, reason: "forged" });
  });
});

describe("rotating MEDIA_URL_SECRET (comma-separated: the first signs, all verify)", () => {
  it("links signed under the old secret keep working while it is listed second, and stop when it is dropped", async () => {
    const signedBefore = await signMediaLink(OLD_SECRET, claims);
    expect(await verify(signedBefore, {}, `${SECRET}, ${OLD_SECRET}`)).toMatchObject({ ok: true });
    expect(await verify(signedBefore, {}, SECRET)).toEqual({ ok: false, reason: "forged" });
  });

  it("signs with the first secret", async () => {
    expect(await signMediaLink(`${SECRET},${OLD_SECRET}`, claims)).toBe(await signMediaLink(SECRET, claims));
  });

  it.each([
    [undefined, "MEDIA_URL_SECRET is not set."],
    ["", "MEDIA_URL_SECRET is not set."],
    [" , ", "MEDIA_URL_SECRET is not set."],
    ["too-short", "MEDIA_URL_SECRET (secret 1) must be at least 32 characters."],
    [`${SECRET},short`, "MEDIA_URL_SECRET (secret 2) must be at least 32 characters."],
    [Array.from({ length: 5 }, () => SECRET).join(","), "MEDIA_URL_SECRET holds 5 secrets; at most 4."],
  ])("refuses the setting %j: %s", async (setting, message) => {
    expect(() => secretsOf(setting)).toThrow(new MediaSecretError(message));
    await expect(signMediaLink(setting, claims)).rejects.toThrow(message);
    await expect(verifyMediaLink(setting, claims, "x", NOW, MAX_LINK_LIFETIME_SECONDS)).rejects.toThrow(message);
  });
});

describe("a link's lifetime", () => {
  it("is 15 to 20 minutes, ending on a 5-minute mark, and the same for every read within those five minutes", () => {
    const windowStart = 1_800_000_000 - (1_800_000_000 % EXPIRY_STEP_SECONDS);
    const expiries = new Set<number>();
    for (let now = windowStart + 1; now <= windowStart + EXPIRY_STEP_SECONDS; now += 7) {
      const expiry = linkExpiry(now);
      expect(expiry % EXPIRY_STEP_SECONDS).toBe(0);
      expect(expiry - now).toBeGreaterThanOrEqual(LINK_LIFETIME_SECONDS);
      expect(expiry - now).toBeLessThanOrEqual(MAX_LINK_LIFETIME_SECONDS);
      expiries.add(expiry);
    }
    expect(expiries.size).toBe(1);
    expect(linkExpiry(windowStart + EXPIRY_STEP_SECONDS + 1)).toBe(([...expiries][0] ?? 0) + EXPIRY_STEP_SECONDS);
  });

  it("a signed answer is private and kept no longer than the link lives, and never past an hour", () => {
    expect(signedCacheControl(NOW + 900, NOW)).toBe("private, max-age=900");
    expect(signedCacheControl(NOW + 1, NOW)).toBe("private, max-age=1");
    expect(signedCacheControl(NOW - 5, NOW)).toBe("private, max-age=0");
    expect(signedCacheControl(NOW + 7200, NOW)).toBe("private, max-age=3600");
  });
});

describe("media links for a reader", () => {
  const now = new Date(NOW * 1000);

  it("private media: the media path with the reader, the expiry and a signature that verifies", async () => {
    const links = mediaLinks(SECRET, USER, now);
    const url = new URL(await links.urlFor(COURSE, KEY, "private"), "https://learn.example");
    expect(url.pathname).toBe(`/api/courses/${COURSE}/media/0190a0b0-1111-7000-8000-000000000001/intro.mp4`);
    expect([...url.searchParams.keys()]).toEqual([LINK_PARAMS.user, LINK_PARAMS.expires, LINK_PARAMS.signature]);
    expect(url.searchParams.get(LINK_PARAMS.user)).toBe(USER);
    const expires = Number(url.searchParams.get(LINK_PARAMS.expires));
    expect(expires).toBe(linkExpiry(NOW));
    expect(links.signedExpiry?.getTime()).toBe(expires * 1000);
    const signature = url.searchParams.get(LINK_PARAMS.signature) ?? "";
    expect(await verify(signature, { expires })).toMatchObject({ ok: true });
  });

  it("public media: the plain path, signed for nobody", async () => {
    const links = mediaLinks(SECRET, USER, now);
    expect(await links.urlFor(COURSE, KEY, "public")).toBe(
      `/api/courses/${COURSE}/media/0190a0b0-1111-7000-8000-000000000001/intro.mp4`,
    );
    expect(await plainMediaLinks.urlFor(COURSE, KEY, "private")).not.toContain("?");
    expect(plainMediaLinks.signedExpiry).toBeNull();
  });

  it("a key with characters a URL path escapes is signed as stored and verifies as the route decodes it", async () => {
    const key = `courses/${COURSE}/0190a0b0-1111-7000-8000-000000000003/a b+c%.vtt`;
    const url = new URL(await mediaLinks(SECRET, USER, now).urlFor(COURSE, key, "private"), "https://learn.example");
    expect(url.pathname).toContain("/a%20b%2Bc%25.vtt");
    const decoded = `courses/${COURSE}/${decodeURIComponent(url.pathname.split("/media/")[1] ?? "")}`;
    expect(decoded).toBe(key);
    const signature = url.searchParams.get(LINK_PARAMS.signature) ?? "";
    expect(await verify(signature, { objectKey: decoded, expires: linkExpiry(NOW) })).toMatchObject({ ok: true });
  });

  it("refuses to make links without a usable secret", () => {
    expect(() => mediaLinks(undefined, USER, now)).toThrow(MediaSecretError);
    expect(() => mediaLinks("short", USER, now)).toThrow(MediaSecretError);
  });
});
