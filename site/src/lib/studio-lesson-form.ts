import type { ApiResult } from "./api";
import { formText } from "./forms";
import { LESSON_KINDS, type LessonKind, type StudioLesson } from "./studio-outline";

/**
 * The lesson form (a new lesson and a lesson's editor): kept as typed, and turned into the API's
 * body. A field that does not belong to the lesson's kind is never sent (the API refuses a body on
 * a video lesson, a duration on a text one), whatever the form carried.
 */

export interface LessonFormValues {
  readonly title: string;
  readonly kind: LessonKind;
  /** Empty: in no section. */
  readonly sectionId: string;
  readonly isPreview: boolean;
  readonly body: string;
  /** As typed: `12:30`, `1:05:00`, or empty. */
  readonly duration: string;
}

export type LessonField = "title" | "kind" | "sectionId" | "body" | "duration";

/** The longest video the API takes (24 hours). */
const MAX_SECONDS = 86_400;

/** `12:30` → 750, `1:02:03` → 3723, `45` → 45 minutes; undefined if it is not a length. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const parts = /^(?:(\d{1,2}):)?(\d{1,4}):([0-5]\d)$/.exec(trimmed);
  let seconds: number;
  if (parts) {
    const [, hours = "0", minutes = "0", secs = "0"] = parts;
    seconds = Number(hours) * 3600 + Number(minutes) * 60 + Number(secs);
  } else if (/^\d{1,4}$/.test(trimmed)) {
    seconds = Number(trimmed) * 60;
  } else {
    return undefined;
  }
  return seconds >= 1 && seconds <= MAX_SECONDS ? seconds : undefined;
}

/** 750 → `12:30`, 3723 → `1:02:03`. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return "";
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

export function lessonFormOf(lesson: StudioLesson): LessonFormValues {
  return {
    title: lesson.title,
    kind: lesson.kind,
    sectionId: lesson.sectionId ?? "",
    isPreview: lesson.isPreview,
    body: lesson.markdown ?? "",
    duration: durationText(lesson.durationSeconds),
  };
}

export function readLessonForm(form: FormData, fixedKind?: LessonKind): LessonFormValues {
  const kind = fixedKind ?? LESSON_KINDS.find((candidate) => candidate === formText(form, "kind")) ?? "text";
  return {
    title: formText(form, "title").trim(),
    kind,
    sectionId: formText(form, "sectionId"),
    isPreview: formText(form, "isPreview") === "on",
    body: formText(form, "body").replace(/\r\n/g, "\n"),
    duration: formText(form, "duration"),
  };
}

export type LessonBodyCheck =
  { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly field: "duration" };

function kindFields(values: LessonFormValues): LessonBodyCheck {
  if (values.kind === "text") return { ok: true, body: { bodyMarkdown: values.body } };
  if (values.kind !== "video" || values.duration.trim() === "") return { ok: true, body: {} };
  const seconds = parseDuration(values.duration);
  return seconds === undefined ? { ok: false, field: "duration" } : { ok: true, body: { durationSeconds: seconds } };
}

/** `POST /api/courses/{id}/lessons`'s body. */
export function newLessonBody(values: LessonFormValues): LessonBodyCheck {
  const fields = kindFields(values);
  if (!fields.ok) return fields;
  return {
    ok: true,
    body: {
      title: values.title,
      kind: values.kind,
      sectionId: values.sectionId || null,
      isPreview: values.isPreview,
      ...fields.body,
    },
  };
}

/** `PATCH …/lessons/{lessonId}`'s body: only what changed (empty: nothing to do). */
export function lessonChanges(lesson: StudioLesson, values: LessonFormValues): LessonBodyCheck {
  const fields = kindFields(values);
  if (!fields.ok) return fields;
  const changes: Record<string, unknown> = {};
  if (values.title !== lesson.title) changes.title = values.title;
  if ((values.sectionId || null) !== lesson.sectionId) changes.sectionId = values.sectionId || null;
  if (values.isPreview !== lesson.isPreview) changes.isPreview = values.isPreview;
  if (lesson.kind === "text" && fields.body.bodyMarkdown !== (lesson.markdown ?? "")) {
    changes.bodyMarkdown = fields.body.bodyMarkdown;
  }
  if (lesson.kind === "video" && fields.body.durationSeconds !== undefined) {
    if (fields.body.durationSeconds !== lesson.durationSeconds) changes.durationSeconds = fields.body.durationSeconds;
  }
  return { ok: true, body: changes };
}

/** The API's field errors by form field (`json.bodyMarkdown` and the 422's `bodyMarkdown` beside the text). */
export function lessonFieldErrors(result: ApiResult<unknown> | undefined): Partial<Record<LessonField, string>> {
  if (!result || result.ok) return {};
  const errors: Partial<Record<LessonField, string>> = {};
  const byPath: Record<string, LessonField> = {
    title: "title",
    kind: "kind",
    sectionId: "sectionId",
    bodyMarkdown: "body",
    durationSeconds: "duration",
  };
  for (const { path, message } of result.problem.errors ?? []) {
    const field = byPath[path.replace(/^json\./, "")];
    if (field && !errors[field]) errors[field] = message;
  }
  return errors;
}
