import { mediaUrlPath } from "./object-key.ts";
import { signMediaLink, secretsOf } from "./signed-url.ts";

/**
 * How long a signed media link works: at least 15 minutes, at most 20, because its expiry is
 * rounded up to the next 5-minute mark.
 *
 * - Short, because the link is a bearer credential for as long as it lives: copied out of the
 *   page, it plays for anyone until then, and a learner whose access ends (a refund) keeps the
 *   links already handed out until then (signed-access.ts says why the signature stands in for the
 *   access check).
 * - Not shorter, because a link is checked when a request starts, not while its body streams: a
 *   player fetches a video as a few long range requests plus one per seek, so a quarter of an
 *   hour covers most lessons' viewing without a refresh, and a player that does meet an expired
 *   link (a 403 on a seek) re-reads the lesson for fresh ones.
 * - Rounded, so every read of a lesson within the same five minutes hands out the same links: a
 *   re-read does not change a playing `<video>`'s `src`, and the browser's cache of the media is
 *   keyed by a URL that stays put.
 */
export const LINK_LIFETIME_SECONDS = 15 * 60;
export const EXPIRY_STEP_SECONDS = 5 * 60;
/** No link outlives this; a "genuine" link that claims to is refused (signed-url.ts). */
export const MAX_LINK_LIFETIME_SECONDS = LINK_LIFETIME_SECONDS + EXPIRY_STEP_SECONDS;
/** What a browser may keep a private answer for at most (a signed one, shorter: the link's remaining life). */
export const PRIVATE_MAX_AGE_SECONDS = 3600;

/** The query parameters of a signed link. */
export const LINK_PARAMS = { user: "user", expires: "exp", signature: "sig" } as const;

export function linkExpiry(nowSeconds: number): number {
  return Math.ceil((nowSeconds + LINK_LIFETIME_SECONDS) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
}

/** A signed answer is kept by the browser only (`private`), and never past the link's expiry. */
export function signedCacheControl(expires: number, nowSeconds: number): string {
  return `private, max-age=${Math.max(0, Math.min(PRIVATE_MAX_AGE_SECONDS, expires - nowSeconds))}`;
}

/** Turns media keys into URLs a page can put in `src` or `href` as they are. */
export interface MediaLinks {
  /** Public media: its plain URL. Private media: a link signed for this reader. */
  urlFor(courseId: string, objectKey: string, audience: "public" | "private"): Promise<string>;
  /** When the links it signs stop working; null when it signs none (plainMediaLinks). */
  readonly signedExpiry: Date | null;
}

/**
 * Links for one signed-in reader (their user id) at one moment: every private link expires at the
 * same rounded time. Throws MediaSecretError when `MEDIA_URL_SECRET` is missing or malformed.
 */
export function mediaLinks(secretSetting: string | undefined, reader: string, now: Date): MediaLinks {
  secretsOf(secretSetting);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expires = linkExpiry(nowSeconds);
  return {
    async urlFor(courseId, objectKey, audience) {
      const path = mediaUrlPath(courseId, objectKey);
      if (audience === "public") return path;
      const signature = await signMediaLink(secretSetting, { objectKey, userId: reader, expires });
      const query = new URLSearchParams({
        [LINK_PARAMS.user]: reader,
        [LINK_PARAMS.expires]: String(expires),
        [LINK_PARAMS.signature]: signature,
      });
      return `${path}?${query}`;
    },
    signedExpiry: new Date(expires * 1000),
  };
}

/**
 * Plain media paths, signing nothing: what an anonymous reader gets (only public media is ever
 * unlocked for one), and what a signed-in reader gets when the worker has no usable
 * `MEDIA_URL_SECRET`: private paths that work with a bearer token (API clients) but not in a
 * `<video>` element. The route logs that configuration error; a lesson still reads.
 */
export const plainMediaLinks: MediaLinks = {
  urlFor: async (courseId, objectKey) => mediaUrlPath(courseId, objectKey),
  signedExpiry: null,
};
