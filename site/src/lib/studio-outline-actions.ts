import { callApi, type ApiCaller, type ApiResult } from "./api";
import { formText } from "./forms";
import { isUuid } from "./studio";
import {
  applyArrangement,
  keepReadingOrder,
  moveLesson,
  moveSection,
  outlineGroups,
  validArrangement,
  type CourseContent,
  type Direction,
} from "./studio-outline";

/**
 * What the outline editor's forms do, one intent each, against the courses API as the author.
 * Each answers where to go next (post/redirect/get) or the API's refusal for the page to show.
 */
export type OutlineOutcome =
  | { readonly ok: true; readonly done: OutlineDone; readonly focus?: string }
  | { readonly ok: false; readonly result: ApiResult<unknown> }
  | { readonly ok: false; readonly invalid: true };

export type OutlineDone =
  "sectionAdded" | "sectionRenamed" | "sectionDeleted" | "lessonDeleted" | "moved" | "previewChanged";

const INVALID = { ok: false, invalid: true } as const;
const directionOf = (form: FormData): Direction | undefined => {
  const value = formText(form, "direction");
  return value === "up" || value === "down" ? value : undefined;
};

async function step(
  write: Promise<ApiResult<unknown>>,
  done: OutlineDone,
  after?: () => Promise<ApiResult<unknown> | null>,
  focus?: string,
): Promise<OutlineOutcome> {
  const result = await write;
  if (!result.ok) return { ok: false, result };
  const followUp = after ? await after() : null;
  if (followUp && !followUp.ok) return { ok: false, result: followUp };
  return { ok: true, done, ...(focus && { focus }) };
}

export async function runOutlineIntent(
  caller: ApiCaller,
  content: CourseContent,
  form: FormData,
): Promise<OutlineOutcome> {
  const courseId = content.courseId;
  const base = `/api/courses/${courseId}`;
  const id = formText(form, "id");
  const reorder = () => keepReadingOrder(caller, courseId);
  switch (formText(form, "intent")) {
    case "add-section":
      return step(callApi(caller, `${base}/sections`, { json: { title: formText(form, "title") } }), "sectionAdded");
    case "rename-section":
      if (!isUuid(id)) return INVALID;
      return step(
        callApi(caller, `${base}/sections/${id}`, { method: "PATCH", json: { title: formText(form, "title") } }),
        "sectionRenamed",
      );
    case "delete-section":
      if (!isUuid(id)) return INVALID;
      return step(callApi(caller, `${base}/sections/${id}`, { method: "DELETE" }), "sectionDeleted", reorder);
    case "move-section": {
      const direction = directionOf(form);
      const order = direction && isUuid(id) ? moveSection(content.sections, id, direction) : null;
      if (!order || !direction) return INVALID;
      return step(
        callApi(caller, `${base}/sections/order`, { method: "PUT", json: { sectionIds: order } }),
        "moved",
        reorder,
        `section:${direction}:${id}`,
      );
    }
    case "move-lesson": {
      const direction = directionOf(form);
      const arrangement = direction && isUuid(id) ? moveLesson(outlineGroups(content), id, direction) : null;
      if (!arrangement || !direction) return INVALID;
      const failed = await applyArrangement(caller, content, arrangement);
      return failed ? { ok: false, result: failed } : { ok: true, done: "moved", focus: `lesson:${direction}:${id}` };
    }
    case "arrange": {
      let candidate: unknown;
      try {
        candidate = JSON.parse(formText(form, "arrangement"));
      } catch {
        return INVALID;
      }
      const arrangement = validArrangement(content, candidate);
      if (!arrangement) return INVALID;
      const failed = await applyArrangement(caller, content, arrangement);
      return failed ? { ok: false, result: failed } : { ok: true, done: "moved" };
    }
    case "set-preview": {
      if (!isUuid(id)) return INVALID;
      const isPreview = formText(form, "isPreview") === "true";
      return step(callApi(caller, `${base}/lessons/${id}`, { method: "PATCH", json: { isPreview } }), "previewChanged");
    }
    case "delete-lesson":
      if (!isUuid(id)) return INVALID;
      return step(callApi(caller, `${base}/lessons/${id}`, { method: "DELETE" }), "lessonDeleted");
    default:
      return INVALID;
  }
}
