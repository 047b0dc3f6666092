import { logLine, errorText } from "@platform/http-kit";
import { invalidateCatalog } from "./catalog-cache.ts";
import { cacheSlot, moveOn, unversionedSlot, type CacheSlot, type CacheStore } from "./versioned-cache.ts";

/**
 * A published course's public reads, one cache scope per course: its page (`GET
 * /api/courses/{id}`, and by slug), its outline as an anonymous visitor sees it (`GET
 * /api/courses/{id}/lessons`) and its syllabus (`GET /api/courses/{id}/outline`, without the
 * instructor's name, which author-cache.ts keeps). Only published courses are kept: a draft or an archived course is
 * read from PostgreSQL every time, so it can never be served to someone who may not see it. What a
 * signed-in learner with access or an author sees is never kept here (routes decide, see
 * docs/courses.md).
 *
 * Every write to a course moves its version on right after it commits (`courseWritten`), and its
 * COURSE_UPDATED / COURSE_PUBLISHED event does it again as a backstop (`invalidateCourse`).
 */
const courseScope = (courseId: string) => `course:${courseId}`;

export const coursePageSlot = <T>(kv: CacheStore, courseId: string): Promise<CacheSlot<T>> =>
  cacheSlot<T>(kv, courseScope(courseId), "page");

export const outlineSlot = <T>(kv: CacheStore, courseId: string): Promise<CacheSlot<T>> =>
  cacheSlot<T>(kv, courseScope(courseId), "outline");

export const syllabusSlot = <T>(kv: CacheStore, courseId: string): Promise<CacheSlot<T>> =>
  cacheSlot<T>(kv, courseScope(courseId), "syllabus");

/**
 * Which course a slug named when it was last read. Slugs change and a freed slug can be taken by
 * another course, so this is only a hint: the caller serves the cached page only when that page
 * still has this slug, and otherwise reads PostgreSQL and writes the hint again.
 */
export const slugSlot = (kv: CacheStore, slug: string): Promise<CacheSlot<string>> =>
  unversionedSlot<string>(kv, `course-slug:${slug}`);

/** The course's cached reads are never served again; throws when KV refuses (an event retries). */
export async function invalidateCourse(kv: CacheStore, courseId: string): Promise<void> {
  await moveOn(kv, courseScope(courseId));
}

/**
 * Right after a write to a course committed: its page and outline are read again, at once in this
 * isolate and within a second in others; the catalog's pages too when the course is or was in it
 * (`listed`). A KV failure is logged, not thrown, since the write stands: the course's event moves
 * the versions on again when it arrives.
 */
export async function courseWritten(kv: CacheStore, courseId: string, { listed }: { listed: boolean }): Promise<void> {
  const moves = [invalidateCourse(kv, courseId), ...(listed ? [invalidateCatalog(kv)] : [])];
  for (const result of await Promise.allSettled(moves)) {
    if (result.status === "rejected") {
      logLine("warn", "courses", "cache not invalidated after a write; the course's event will", {
        courseId,
        error: errorText(result.reason),
      });
    }
  }
}
