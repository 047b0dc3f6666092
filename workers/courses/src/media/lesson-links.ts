import type { LessonCaption, LessonDownload } from "../db/schema.ts";
import type { Course } from "../permissions.ts";
import type { MediaLinks } from "./media-links.ts";

export interface LessonLinks {
  readonly mediaUrl: string | null;
  readonly captions: (LessonCaption & { readonly url: string })[];
  readonly downloads: (LessonDownload & { readonly url: string })[];
  /** When the signed ones among them stop working; null when none is signed. */
  readonly urlsExpireAt: string | null;
}

/** What a locked lesson carries: nothing to fetch. */
export const NO_LINKS: LessonLinks = { mediaUrl: null, captions: [], downloads: [], urlsExpireAt: null };

/**
 * The URLs of an open lesson's video (or file), caption tracks and downloads, ready for `src` and
 * `href`. They are public exactly when the media route serves them to anyone — a published
 * course's free preview (access-rules.ts) — and otherwise signed for the reader, since a `<video>`,
 * `<track>` or link cannot send the reader's token.
 */
export async function lessonLinks(
  course: Pick<Course, "id" | "status">,
  lesson: {
    readonly isPreview: boolean;
    readonly mediaKey: string | null;
    readonly captions: readonly LessonCaption[];
    readonly downloads: readonly LessonDownload[];
  },
  links: MediaLinks,
): Promise<LessonLinks> {
  const audience = course.status === "published" && lesson.isPreview ? "public" : "private";
  const url = (key: string) => links.urlFor(course.id, key, audience);
  const [mediaUrl, captions, downloads] = await Promise.all([
    lesson.mediaKey ? url(lesson.mediaKey) : null,
    Promise.all(
      lesson.captions.map(async ({ language, label, key }) => ({ language, label, key, url: await url(key) })),
    ),
    Promise.all(
      lesson.downloads.map(async ({ fileName, contentType, sizeBytes, key }) => ({
        fileName,
        contentType,
        sizeBytes,
        key,
        url: await url(key),
      })),
    ),
  ]);
  const signsAny = audience === "private" && (mediaUrl !== null || captions.length > 0 || downloads.length > 0);
  return {
    mediaUrl,
    captions,
    downloads,
    urlsExpireAt: signsAny ? (links.signedExpiry?.toISOString() ?? null) : null,
  };
}
