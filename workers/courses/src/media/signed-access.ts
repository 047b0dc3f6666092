import { ProblemError } from "@platform/http-kit";
import type { Queryable } from "../db/database.ts";
import { courseMediaUse } from "./access-rules.ts";
import { MAX_LINK_LIFETIME_SECONDS, signedCacheControl } from "./media-links.ts";
import { MediaSecretError, verifyMediaLink } from "./signed-url.ts";

/** The signed part of a media request: who the link was made for, until when, and its MAC. */
export interface SignedLink {
  readonly userId: string;
  readonly expires: number;
  readonly signature: string;
}

const forged = () =>
  new ProblemError("forbidden", {
    detail: "This media link is not valid: it was not signed for this media and reader. Read the lesson again.",
  });

/**
 * Decides a media request that carries a signed link, and answers the Cache-Control it is served
 * with. The signature stands in for the access check: the lesson read that signed the link had
 * just checked that its reader could open the lesson (a grant, a subscription, the author or an
 * admin), so no grant is read again here. That is what the link's short life is for: a refund or
 * a revoked grant stops the links already handed out when they expire (≤ 20 minutes), and stops
 * new ones at once. What is read again, in one statement, is whether the media is still there to
 * serve: a deleted course, a removed lesson or a replaced video answer 404 at once, whatever the
 * signature. An archived course keeps serving, as it does to its learners with the header.
 *
 * 403 for a link that is forged, altered (another key, user or expiry) or made under a secret no
 * longer held; 403 naming the expiry for an expired one; 503 when the worker has no secret.
 */
export async function signedMediaAccess(
  db: Queryable,
  secretSetting: string | undefined,
  target: { readonly courseId: string; readonly objectKey: string },
  link: SignedLink,
  now: Date,
): Promise<string> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let check: Awaited<ReturnType<typeof verifyMediaLink>>;
  try {
    check = await verifyMediaLink(
      secretSetting,
      { objectKey: target.objectKey, userId: link.userId, expires: link.expires },
      link.signature,
      nowSeconds,
      MAX_LINK_LIFETIME_SECONDS,
    );
  } catch (error) {
    if (!(error instanceof MediaSecretError)) throw error;
    throw new ProblemError("service-unavailable", { detail: "Signed media links are not configured here." });
  }
  if (!check.ok && check.reason === "expired") {
    throw new ProblemError("forbidden", {
      detail: `This media link expired at ${new Date(link.expires * 1000).toISOString()}. Read the lesson again for a fresh link.`,
    });
  }
  if (!check.ok) throw forged();
  const use = await courseMediaUse(db, target.courseId, target.objectKey);
  if (use === undefined || use === "unattached") {
    throw new ProblemError("not-found", { detail: "No such media in this course." });
  }
  return signedCacheControl(link.expires, nowSeconds);
}
