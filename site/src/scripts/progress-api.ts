/**
 * The page's calls to the site's progress endpoint (pages/learn/progress.ts), which records
 * progress for the signed-in learner through the progress API: the browser holds no token, the
 * session cookie identifies it to the site.
 */
import type { LessonState } from "../lib/progress";

export interface RecordedProgress {
  readonly lessonId: string;
  readonly courseId: string;
  readonly state: LessonState;
  readonly positionSeconds: number | null;
  readonly course: { readonly percent: number; readonly completedAt: string | null };
}

export interface CourseStates {
  readonly courseId: string;
  readonly percent: number;
  readonly completedAt: string | null;
  readonly lessons: ReadonlyArray<{ readonly lessonId: string; readonly state: LessonState }>;
}

const ENDPOINT = "/learn/progress";

/**
 * Records a view, a completion or a position; undefined when it could not be saved (the caller
 * says so, or simply tries again at the next position). `keepalive` lets the request outlive the
 * page, for the last position sent as the learner leaves.
 */
export async function sendProgress(
  body: { lessonId: string; event: "viewed" | "completed" | "position"; positionSeconds?: number },
  options: { keepalive?: boolean } = {},
): Promise<RecordedProgress | undefined> {
  try {
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      keepalive: options.keepalive ?? false,
      credentials: "same-origin",
    });
    return response.ok ? ((await response.json()) as RecordedProgress) : undefined;
  } catch {
    return undefined;
  }
}

/** Every lesson's state and the percent, as the API has them now (after the live socket missed messages). */
export async function readCourseStates(courseId: string): Promise<CourseStates | undefined> {
  try {
    const response = await fetch(`${ENDPOINT}?${new URLSearchParams({ courseId })}`, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    return response.ok ? ((await response.json()) as CourseStates) : undefined;
  } catch {
    return undefined;
  }
}
