import { callApi, type ApiCaller, type ApiResult } from "./api";
import type { StudioText } from "../i18n/messages/studio";

/**
 * A course's figures from the progress service (`GET /api/progress/courses/{courseId}/analytics`,
 * docs/certificates.md): who enrolled, started and completed, the median time to complete, and
 * lesson by lesson how far learners got, with the drop-off lesson marked by the service.
 */
export interface LessonFigures {
  readonly lessonId: string;
  readonly title: string;
  readonly position: number;
  readonly required: boolean;
  readonly reached: number;
  readonly completed: number;
  readonly stoppedHere: number;
  readonly dropOff: boolean;
}

export interface CourseAnalytics {
  readonly courseId: string;
  readonly enrolled: number;
  readonly started: number;
  readonly completed: number;
  readonly completionRate: number | null;
  readonly medianSecondsToComplete: number | null;
  readonly lessons: readonly LessonFigures[];
}

export function readAnalytics(caller: ApiCaller, courseId: string): Promise<ApiResult<CourseAnalytics>> {
  return callApi<CourseAnalytics>(caller, `/api/progress/courses/${courseId}/analytics`);
}

/**
 * A time to complete as people say it: the two largest units that matter (`3 days 4 h`,
 * `2 h 5 min`, `12 min`), at least a minute.
 */
export function spokenDuration(seconds: number, words: StudioText["analytics"]["duration"]): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${words.days(days)} ${words.hours(hours)}` : words.days(days);
  if (hours > 0) return rest > 0 ? `${words.hours(hours)} ${words.minutes(rest)}` : words.hours(hours);
  return words.minutes(rest);
}
