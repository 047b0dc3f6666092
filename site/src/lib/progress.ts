import { callApi, type ApiCaller, type ApiResult } from "./api";

/**
 * The progress API as the learner's pages use it (docs/progress.md): always as the signed-in
 * visitor, never shared. Shapes are the progress worker's route schemas, narrowed to what the
 * pages show.
 */

export type LessonState = "not-started" | "viewed" | "completed";
export type ProgressEvent = "viewed" | "completed" | "position";

export const PROGRESS_EVENTS: readonly ProgressEvent[] = ["viewed", "completed", "position"];

export interface NextLesson {
  readonly lessonId: string;
  readonly title: string;
  readonly position: number;
  readonly positionSeconds: number | null;
}

/** `GET /api/progress/courses/{courseId}`. */
export interface CourseProgress {
  readonly courseId: string;
  readonly title: string;
  readonly slug: string;
  readonly percent: number;
  readonly requiredLessons: number;
  readonly completedLessons: number;
  readonly lastActivityAt: string | null;
  readonly completedAt: string | null;
  readonly nextLesson: NextLesson | null;
  readonly lessons: ReadonlyArray<{
    readonly lessonId: string;
    readonly state: LessonState;
    readonly positionSeconds: number | null;
    readonly completedAt: string | null;
  }>;
}

/** What `POST /api/progress/lessons/{lessonId}` answers. */
export interface LessonProgress {
  readonly lessonId: string;
  readonly courseId: string;
  readonly state: LessonState;
  readonly positionSeconds: number | null;
  readonly completedAt: string | null;
  readonly course: { readonly percent: number; readonly completedAt: string | null };
}

/** One course of `GET /api/progress/me`. */
export interface LearningCourse {
  readonly courseId: string;
  readonly title: string;
  readonly slug: string;
  readonly percent: number;
  readonly requiredLessons: number;
  readonly completedLessons: number;
  readonly grantedAt: string | null;
  readonly startedAt: string | null;
  readonly lastActivityAt: string | null;
  readonly completedAt: string | null;
  readonly nextLesson: NextLesson | null;
}

export interface MyLearningPage {
  readonly items: readonly LearningCourse[];
  readonly nextCursor: string | null;
}

/** One of `GET /api/progress/certificates`. */
export interface CertificateSummary {
  readonly id: string;
  readonly course: { readonly id: string; readonly title: string };
  readonly completedAt: string;
  readonly issuedAt: string;
  readonly revoked: boolean;
}

export interface CertificatePage {
  readonly items: readonly CertificateSummary[];
  readonly nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

export function readCourseProgress(caller: ApiCaller, courseId: string): Promise<ApiResult<CourseProgress>> {
  return callApi<CourseProgress>(caller, `/api/progress/courses/${courseId}`);
}

export function recordProgress(
  caller: ApiCaller,
  lessonId: string,
  event: ProgressEvent,
  positionSeconds?: number,
): Promise<ApiResult<LessonProgress>> {
  return callApi<LessonProgress>(caller, `/api/progress/lessons/${lessonId}`, {
    method: "POST",
    json: positionSeconds === undefined ? { event } : { event, positionSeconds },
  });
}

/** A page of "my learning"; `cursor` as the previous page gave it (the API refuses one it did not). */
export function readMyLearning(caller: ApiCaller, cursor?: string, limit = 20): Promise<ApiResult<MyLearningPage>> {
  const query = new URLSearchParams({ limit: String(limit), ...(cursor && { cursor }) });
  return callApi<MyLearningPage>(caller, `/api/progress/me?${query}`);
}

export function readCertificates(caller: ApiCaller, cursor?: string): Promise<ApiResult<CertificatePage>> {
  const query = new URLSearchParams({ limit: "20", ...(cursor && { cursor }) });
  return callApi<CertificatePage>(caller, `/api/progress/certificates?${query}`);
}
