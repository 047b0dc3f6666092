import type { ApiResult } from "./api";
import { studioPaths } from "./studio";
import type { StudioLesson } from "./studio-outline";
import type { StudioText } from "../i18n/messages/studio";

/**
 * The publication checklist: the API refuses to publish an incomplete course with 422 and lists
 * every problem (`errors[]`, each a `path` — summary, lessons, price — and a message). Each
 * becomes an item in the author's language with a link to where it is fixed; a problem this page
 * does not know is shown in the API's own words, so nothing the API asks is ever hidden.
 */
export interface ChecklistItem {
  readonly path: string;
  readonly text: string;
  readonly fix?: { readonly href: string; readonly label: string };
}

const LESSON_MEDIA = /^"(.*)" has no uploaded media yet$/s;

export function publicationChecklist(
  result: ApiResult<unknown>,
  courseId: string,
  lessons: readonly StudioLesson[],
  t: StudioText,
): ChecklistItem[] {
  if (result.ok || result.status !== 422) return [];
  return (result.problem.errors ?? []).map(({ path, message }) => {
    if (path === "summary") {
      return {
        path,
        text: t.publish.items.summary,
        fix: { href: `${studioPaths.course(courseId)}#field-summary`, label: t.publish.fix.details },
      };
    }
    if (path === "price") {
      return {
        path,
        text: t.publish.items.price,
        fix: { href: `${studioPaths.course(courseId)}#field-amount`, label: t.publish.fix.price },
      };
    }
    if (path === "lessons") {
      const title = LESSON_MEDIA.exec(message)?.[1];
      if (title !== undefined) {
        const lesson = lessons.find((candidate) => candidate.title === title && candidate.kind !== "text");
        return {
          path,
          text: t.publish.items.lessonMedia(title),
          fix: {
            href: lesson ? studioPaths.lesson(courseId, lesson.id) : studioPaths.outline(courseId),
            label: t.publish.fix.lesson,
          },
        };
      }
      if (lessons.length === 0) {
        return {
          path,
          text: t.publish.items.noLessons,
          fix: { href: studioPaths.newLesson(courseId), label: t.publish.fix.outline },
        };
      }
    }
    return { path, text: message };
  });
}
