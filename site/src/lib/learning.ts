import { callApi, type ApiCaller } from "./api";
import { isUuid, readCourseProgress, type CourseProgress } from "./progress";

/**
 * What the lesson player reads from the courses API: the course by its slug, and its outline as
 * this visitor may see it (locked lessons come without content; unlocked media come as URLs a
 * `<video>` can load as they are: public for a free preview, signed for this visitor otherwise).
 */

export interface CourseInfo {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly status: "draft" | "published" | "archived";
}

export interface Caption {
  readonly language: string;
  readonly label: string;
  readonly url: string;
}

export interface Download {
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly url: string;
}

export type LessonKind = "video" | "text" | "file";

/** A lesson of `GET /api/courses/{id}/lessons` (and `…/lessons/{lessonId}`). */
export interface LessonContent {
  readonly id: string;
  readonly sectionId: string | null;
  readonly position: number;
  readonly title: string;
  readonly kind: LessonKind;
  readonly isPreview: boolean;
  readonly durationSeconds: number | null;
  readonly locked: boolean;
  readonly html: string | null;
  readonly mediaUrl: string | null;
  /** Absent from a courses worker older than signed links. */
  readonly captions?: readonly Caption[];
  readonly downloads?: readonly Download[];
  readonly urlsExpireAt?: string | null;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly position: number;
}

export interface CourseContent {
  readonly courseId: string;
  readonly access: "full" | "preview";
  readonly sections: readonly Section[];
  readonly lessons: readonly LessonContent[];
}

export type LessonPageData =
  | { readonly kind: "not-found" }
  | { readonly kind: "unavailable" }
  | {
      readonly kind: "ready";
      readonly course: CourseInfo;
      readonly content: CourseContent;
      readonly lesson: LessonContent;
      /** The visitor's progress in the course; null signed out, or when progress cannot answer (the page still plays). */
      readonly progress: CourseProgress | null;
    };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const isSlug = (value: string | undefined): value is string =>
  !!value && value.length >= 3 && value.length <= 80 && SLUG.test(value);

/**
 * Everything the lesson page shows, in two round trips: the course by slug, then its outline and
 * the visitor's progress side by side. A 404 anywhere on the way is "not found"; anything else
 * that fails is "unavailable", except progress, without which the lesson still plays.
 */
export async function loadLessonPage(
  caller: ApiCaller,
  slug: string | undefined,
  lessonId: string | undefined,
): Promise<LessonPageData> {
  if (!isSlug(slug) || !isUuid(lessonId)) return { kind: "not-found" };
  const course = await callApi<CourseInfo>(caller, `/api/courses/by-slug/${slug}`);
  if (!course.ok) return { kind: course.status === 404 || course.status === 400 ? "not-found" : "unavailable" };
  const signedIn = !!caller.locals.session;
  const [content, progress] = await Promise.all([
    callApi<CourseContent>(caller, `/api/courses/${course.data.id}/lessons`),
    signedIn ? readCourseProgress(caller, course.data.id) : undefined,
  ]);
  if (!content.ok) return { kind: content.status === 404 ? "not-found" : "unavailable" };
  const lesson = content.data.lessons.find((candidate) => candidate.id === lessonId);
  if (!lesson) return { kind: "not-found" };
  return {
    kind: "ready",
    course: course.data,
    content: content.data,
    lesson,
    progress: progress?.ok ? progress.data : null,
  };
}

/** `/learn/{slug}/{lessonId}`: the player's address, which the course page and "my learning" link to. */
export const lessonPath = (slug: string, lessonId: string) => `/learn/${slug}/${lessonId}`;
