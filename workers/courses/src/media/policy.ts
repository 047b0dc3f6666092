import { ProblemError } from "@platform/http-kit";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export type UploadPurpose = "lesson" | "cover";

/**
 * What authors may upload, and how large each kind may be. A closed list rather than "anything":
 * media is served back from the API's own origin, so types a browser would run as a page (HTML,
 * SVG) must never get in. Videos may reach 8 GiB (the issue asks for at least 5 GB).
 */
export const MEDIA_TYPES: Readonly<Record<string, { readonly maxBytes: number; readonly covers: boolean }>> = {
  "video/mp4": { maxBytes: 8 * GiB, covers: false },
  "video/webm": { maxBytes: 8 * GiB, covers: false },
  "video/quicktime": { maxBytes: 8 * GiB, covers: false },
  "audio/mpeg": { maxBytes: 1 * GiB, covers: false },
  "application/pdf": { maxBytes: 512 * MiB, covers: false },
  "application/zip": { maxBytes: 2 * GiB, covers: false },
  "text/plain": { maxBytes: 10 * MiB, covers: false },
  "text/markdown": { maxBytes: 10 * MiB, covers: false },
  // Caption tracks for `<track>`, which browsers read only when served as text/vtt.
  "text/vtt": { maxBytes: 10 * MiB, covers: false },
  "image/png": { maxBytes: 10 * MiB, covers: true },
  "image/jpeg": { maxBytes: 10 * MiB, covers: true },
  "image/webp": { maxBytes: 10 * MiB, covers: true },
};

/** `Video/MP4; codecs="avc1"` → `video/mp4`: parameters say nothing about what may be stored. */
export function essenceOf(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/**
 * Checks a declared upload against the allow-list before anything is stored: 415 for a type not
 * allowed (for a cover: anything but an image), 413 for a size over that type's limit.
 * Returns the normalised content type.
 */
export function checkUpload(contentType: string, sizeBytes: number, purpose: UploadPurpose): string {
  const essence = essenceOf(contentType);
  const rule = MEDIA_TYPES[essence];
  if (!rule || (purpose === "cover" && !rule.covers)) {
    const allowed = Object.keys(MEDIA_TYPES).filter((type) => purpose !== "cover" || MEDIA_TYPES[type]?.covers);
    throw new ProblemError("unsupported-media-type", {
      detail: `${essence || "An empty type"} cannot be uploaded${purpose === "cover" ? " as a cover" : ""}. Allowed: ${allowed.join(", ")}.`,
    });
  }
  if (sizeBytes > rule.maxBytes) {
    throw new ProblemError("payload-too-large", {
      detail: `A ${essence} file may be at most ${rule.maxBytes} bytes; this one is ${sizeBytes}.`,
    });
  }
  return essence;
}
