import { callApi, type ApiCaller, type ApiResult } from "./api";

/**
 * A course's sections and lessons as its author edits them (`GET /api/courses/{id}/lessons`, read
 * as the author: every lesson open, text lessons with their Markdown), and moving lessons about.
 *
 * The API keeps one order of lessons across the course and one of sections; a lesson names its
 * section. Learners read the course two ways — the syllabus groups lessons by section (those in no
 * section first), the player and the progress service follow the lessons' own order — so the
 * studio keeps the two the same: after every change the lessons' order is the grouped reading
 * order (no section first, then each section's lessons, section by section).
 */

export type LessonKind = "video" | "text" | "file";
export const LESSON_KINDS: readonly LessonKind[] = ["video", "text", "file"];

export interface StudioCaption {
  readonly language: string;
  readonly label: string;
  readonly key: string;
  readonly url: string;
}

export interface StudioDownload {
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly key: string;
  readonly url: string;
}

export interface StudioLesson {
  readonly id: string;
  readonly sectionId: string | null;
  readonly position: number;
  readonly title: string;
  readonly kind: LessonKind;
  readonly isPreview: boolean;
  readonly durationSeconds: number | null;
  readonly html: string | null;
  readonly markdown: string | null;
  readonly mediaUrl: string | null;
  readonly captions: readonly StudioCaption[];
  readonly downloads: readonly StudioDownload[];
}

export interface StudioSection {
  readonly id: string;
  readonly title: string;
  readonly position: number;
}

export interface CourseContent {
  readonly courseId: string;
  readonly sections: readonly StudioSection[];
  readonly lessons: readonly StudioLesson[];
}

/** One block of the editor: a section and its lessons, or (section null) the lessons in no section. */
export interface OutlineGroup {
  readonly section: StudioSection | null;
  readonly lessons: readonly StudioLesson[];
}

/** Where each lesson goes: its section and, by its place in the list, its order. */
export type Arrangement = ReadonlyArray<{ readonly lessonId: string; readonly sectionId: string | null }>;

const byPosition = <T extends { position: number }>(a: T, b: T) => a.position - b.position;

export function readContent(caller: ApiCaller, courseId: string): Promise<ApiResult<CourseContent>> {
  return callApi<CourseContent>(caller, `/api/courses/${courseId}/lessons`);
}

/**
 * The editor's blocks: the lessons in no section first (always present, so a lesson can be moved
 * out of every section), then every section in order, empty ones included (somewhere to move to).
 */
export function outlineGroups(content: CourseContent): OutlineGroup[] {
  const lessons = [...content.lessons].sort(byPosition);
  const sections = [...content.sections].sort(byPosition);
  const known = new Set(sections.map((section) => section.id));
  return [
    { section: null, lessons: lessons.filter((lesson) => lesson.sectionId === null || !known.has(lesson.sectionId)) },
    ...sections.map((section) => ({ section, lessons: lessons.filter((lesson) => lesson.sectionId === section.id) })),
  ];
}

export function arrangementOf(groups: readonly OutlineGroup[]): Arrangement {
  return groups.flatMap((group) =>
    group.lessons.map((lesson) => ({ lessonId: lesson.id, sectionId: group.section?.id ?? null })),
  );
}

export type Direction = "up" | "down";

/**
 * One step for a lesson, as the keyboard buttons do it: within its block, or across the edge into
 * the block before (at its end) or after (at its start). Null when it cannot go further.
 */
export function moveLesson(
  groups: readonly OutlineGroup[],
  lessonId: string,
  direction: Direction,
): Arrangement | null {
  const blocks = groups.map((group) => ({ sectionId: group.section?.id ?? null, ids: group.lessons.map((l) => l.id) }));
  const from = blocks.findIndex((block) => block.ids.includes(lessonId));
  const block = blocks[from];
  if (!block) return null;
  const index = block.ids.indexOf(lessonId);
  const step = direction === "up" ? -1 : 1;
  if (index + step >= 0 && index + step < block.ids.length) {
    block.ids.splice(index, 1);
    block.ids.splice(index + step, 0, lessonId);
  } else {
    const next = blocks[from + step];
    if (!next) return null;
    block.ids.splice(index, 1);
    if (direction === "up") next.ids.push(lessonId);
    else next.ids.unshift(lessonId);
  }
  return blocks.flatMap(({ sectionId, ids }) => ids.map((id) => ({ lessonId: id, sectionId })));
}

/** Whether a lesson's up or down button can do anything (the first and the last lesson cannot go further). */
export function canMoveLesson(groups: readonly OutlineGroup[], lessonId: string, direction: Direction): boolean {
  return moveLesson(groups, lessonId, direction) !== null;
}

/** The sections' ids with one moved a step, or null at either end. */
export function moveSection(
  sections: readonly StudioSection[],
  sectionId: string,
  direction: Direction,
): string[] | null {
  const ids = [...sections].sort(byPosition).map((section) => section.id);
  const index = ids.indexOf(sectionId);
  const target = index + (direction === "up" ? -1 : 1);
  if (index < 0 || target < 0 || target >= ids.length) return null;
  ids.splice(index, 1);
  ids.splice(target, 0, sectionId);
  return ids;
}

/**
 * An arrangement sent by the drag-and-drop script: every lesson of the course once, each in a
 * section of the course (or none). Anything else is refused rather than half applied.
 */
export function validArrangement(content: CourseContent, candidate: unknown): Arrangement | null {
  if (!Array.isArray(candidate) || candidate.length !== content.lessons.length) return null;
  const lessons = new Set(content.lessons.map((lesson) => lesson.id));
  const sections = new Set(content.sections.map((section) => section.id));
  const seen = new Set<string>();
  const arrangement: { lessonId: string; sectionId: string | null }[] = [];
  for (const item of candidate as unknown[]) {
    if (typeof item !== "object" || item === null) return null;
    const { lessonId, sectionId } = item as Record<string, unknown>;
    if (typeof lessonId !== "string" || !lessons.has(lessonId) || seen.has(lessonId)) return null;
    if (sectionId !== null && (typeof sectionId !== "string" || !sections.has(sectionId))) return null;
    seen.add(lessonId);
    arrangement.push({ lessonId, sectionId });
  }
  return arrangement;
}

/**
 * Makes the course's lessons what the arrangement says: each lesson that changed section is moved
 * (`PATCH …/lessons/{id}`), then the order is set once (`PUT …/lessons/order`) if it differs. The
 * first refusal stops it and is answered; what was applied before it stands, and the editor shows
 * the course as it then is.
 */
export async function applyArrangement(
  caller: ApiCaller,
  content: CourseContent,
  arrangement: Arrangement,
): Promise<ApiResult<unknown> | null> {
  const current = new Map(content.lessons.map((lesson) => [lesson.id, lesson]));
  for (const { lessonId, sectionId } of arrangement) {
    if (current.get(lessonId)?.sectionId === sectionId) continue;
    const moved = await callApi(caller, `/api/courses/${content.courseId}/lessons/${lessonId}`, {
      method: "PATCH",
      json: { sectionId },
    });
    if (!moved.ok) return moved;
  }
  const order = arrangement.map((item) => item.lessonId);
  const currentOrder = [...content.lessons].sort(byPosition).map((lesson) => lesson.id);
  if (order.length === 0 || order.join() === currentOrder.join()) return null;
  const ordered = await callApi(caller, `/api/courses/${content.courseId}/lessons/order`, {
    method: "PUT",
    json: { lessonIds: order },
  });
  return ordered.ok ? null : ordered;
}

/**
 * After a change that can leave the lessons' order out of step with the reading order (a lesson
 * added to a section that is not the last, sections reordered, a section deleted), the order is
 * put right: read again, then arranged as the editor shows it.
 */
export async function keepReadingOrder(caller: ApiCaller, courseId: string): Promise<ApiResult<unknown> | null> {
  const content = await readContent(caller, courseId);
  if (!content.ok) return content;
  return applyArrangement(caller, content.data, arrangementOf(outlineGroups(content.data)));
}

/**
 * A lesson that changed section (the lesson editor's "Section") is read at the end of its new
 * section, as a lesson added there would be, rather than wherever its old place falls in it.
 */
export async function placeAtSectionEnd(
  caller: ApiCaller,
  courseId: string,
  lessonId: string,
): Promise<ApiResult<unknown> | null> {
  const content = await readContent(caller, courseId);
  if (!content.ok) return content;
  const groups = outlineGroups(content.data).map((group) => {
    const moved = group.lessons.find((lesson) => lesson.id === lessonId);
    const rest = group.lessons.filter((lesson) => lesson.id !== lessonId);
    return { section: group.section, lessons: moved ? [...rest, moved] : rest };
  });
  return applyArrangement(caller, content.data, arrangementOf(groups));
}
