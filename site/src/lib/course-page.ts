import { callApi, type ApiCaller, type ApiResult } from "./api";
import type { Course } from "./catalog";
import { sharedRead } from "./catalog-shared-reads";
import { firstLesson, type Syllabus } from "./course-syllabus";

/** The caller as the course page needs it: who is signed in, if anyone. */
export interface CoursePageCaller extends ApiCaller {
  readonly locals: {
    readonly session?: {
      readonly accessToken: string;
      readonly userId: string;
      readonly roles: readonly string[];
    } | null;
  };
}

/** What the visitor can do with the course, which decides the page's call to action. */
export type Viewer =
  | { readonly kind: "signed-out" }
  /** Signed in without access: Enroll (free) or Buy (paid). */
  | { readonly kind: "no-access" }
  /** The course is theirs: Continue at `lessonId` (the next lesson not completed, else the first). */
  | { readonly kind: "access"; readonly lessonId: string | undefined; readonly finished: boolean }
  /** The course's author or an admin. */
  | { readonly kind: "editor"; readonly lessonId: string | undefined };

export type CoursePage =
  | { readonly status: "found"; readonly course: Course; readonly syllabus: Syllabus; readonly viewer: Viewer }
  | { readonly status: "not-found" }
  | { readonly status: "unavailable" };

/** The part of the lesson list's answer that says whether the caller may open every lesson. */
interface LessonAccess {
  readonly access: "full" | "preview";
}

/** The part of the learner's progress the page uses: where to continue. */
interface CourseProgress {
  readonly nextLesson: { readonly lessonId: string } | null;
  readonly completedAt: string | null;
}

function failed(result: ApiResult<unknown>): CoursePage {
  return result.status === 404 || result.status === 400 ? { status: "not-found" } : { status: "unavailable" };
}

/** Reads as every visitor does when nobody is signed in (noted for the page cache), else as the visitor. */
function read<T>(caller: CoursePageCaller, path: string): Promise<ApiResult<T>> {
  return caller.locals.session ? callApi<T>(caller, path) : sharedRead<T>(caller, path);
}

interface LearnerReads {
  readonly lessons: ApiResult<LessonAccess>;
  readonly progress: ApiResult<CourseProgress>;
}

/** Whether a signed-in visitor who does not edit the course holds it, and where they are in it. */
async function learnerReads(caller: CoursePageCaller, course: Course): Promise<LearnerReads | undefined> {
  const session = caller.locals.session;
  if (!session || isEditor(course, session)) return undefined;
  const [lessons, progress] = await Promise.all([
    callApi<LessonAccess>(caller, `/api/courses/${course.id}/lessons`),
    callApi<CourseProgress>(caller, `/api/progress/courses/${course.id}`),
  ]);
  return { lessons, progress };
}

function isEditor(course: Course, session: { readonly userId: string; readonly roles: readonly string[] }): boolean {
  return course.authorId === session.userId || session.roles.includes("admin");
}

function viewerOf(caller: CoursePageCaller, syllabus: Syllabus, reads: LearnerReads | undefined): Viewer {
  const session = caller.locals.session;
  if (!session) return { kind: "signed-out" };
  const first = firstLesson(syllabus)?.id;
  if (!reads) return { kind: "editor", lessonId: first };
  const { lessons, progress } = reads;
  if (!lessons.ok || lessons.data.access !== "full") return { kind: "no-access" };
  if (!progress.ok) return { kind: "access", lessonId: first, finished: false };
  const next = progress.data.nextLesson?.lessonId;
  return {
    kind: "access",
    lessonId: next ?? first,
    finished: next === undefined && progress.data.completedAt !== null,
  };
}

/**
 * Everything the course page shows: the course by its slug, its syllabus (with the instructor's
 * name) and what the visitor can do. A draft is found only by its author and admins: the API
 * decides, and answers 404 to anyone else.
 */
export async function loadCoursePage(caller: CoursePageCaller, slug: string): Promise<CoursePage> {
  const course = await read<Course>(caller, `/api/courses/by-slug/${encodeURIComponent(slug)}`);
  if (!course.ok) return failed(course);
  const [syllabus, reads] = await Promise.all([
    read<Syllabus>(caller, `/api/courses/${course.data.id}/outline`),
    learnerReads(caller, course.data),
  ]);
  if (!syllabus.ok) return failed(syllabus);
  const viewer = viewerOf(caller, syllabus.data, reads);
  return { status: "found", course: course.data, syllabus: syllabus.data, viewer };
}
