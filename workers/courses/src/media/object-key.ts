/**
 * Media object keys: `courses/<courseId>/<uploadId>/<file name>`. The upload's UUIDv7 makes
 * every key unique, so an object never changes under its key and may be cached as immutable;
 * the course prefix keeps each course's media apart and lets the serving route find the course.
 */
export function coursePrefix(courseId: string): string {
  return `courses/${courseId}/`;
}

/**
 * A file name safe in a key and a URL path: letters, digits, dot, dash and underscore; accents
 * dropped; no leading dots (no hidden or `..` names); at most 120 characters, extension kept.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const ascii = base.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const cleaned = ascii
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-+(?=\.|$)/g, "")
    .replace(/-{2,}/g, "-")
    .replace(/^[.-]+/, "");
  if (cleaned.length <= 120) return cleaned || "file";
  const dot = cleaned.lastIndexOf(".");
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 120 - extension.length) + extension;
}

export function mediaObjectKey(courseId: string, uploadId: string, fileName: string): string {
  return `${coursePrefix(courseId)}${uploadId}/${safeFileName(fileName)}`;
}

/** The key's part after the course prefix: what the media URL carries. */
export function relativeMediaKey(courseId: string, objectKey: string): string {
  const prefix = coursePrefix(courseId);
  if (!objectKey.startsWith(prefix)) throw new Error(`${objectKey} is not under ${prefix}`);
  return objectKey.slice(prefix.length);
}

/** `GET /api/courses/<id>/media/<relative key>`, each segment URL-encoded. */
export function mediaUrlPath(courseId: string, objectKey: string): string {
  const segments = relativeMediaKey(courseId, objectKey).split("/").map(encodeURIComponent);
  return `/api/courses/${courseId}/media/${segments.join("/")}`;
}
