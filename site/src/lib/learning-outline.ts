import type { CourseContent, LessonContent, LessonKind } from "./learning";
import type { CourseProgress, LessonState } from "./progress";

/** A lesson as the player's outline shows it: where it is, what it is, and how far this learner got. */
export interface OutlineItem {
  readonly id: string;
  readonly title: string;
  readonly kind: LessonKind;
  readonly number: number;
  readonly durationSeconds: number | null;
  readonly isPreview: boolean;
  readonly locked: boolean;
  readonly state: LessonState;
  readonly current: boolean;
}

export interface OutlineGroup {
  /** Null: lessons outside any section. */
  readonly title: string | null;
  readonly items: readonly OutlineItem[];
}

export interface PlayerOutline {
  readonly groups: readonly OutlineGroup[];
  readonly items: readonly OutlineItem[];
  readonly previous: OutlineItem | undefined;
  readonly next: OutlineItem | undefined;
  readonly current: OutlineItem;
  readonly percent: number;
  readonly completedLessons: number;
  readonly requiredLessons: number;
  readonly courseCompletedAt: string | null;
}

/**
 * The course's lessons in course order (their position, the order progress counts "next lesson"
 * in), grouped into runs of the same section, with each lesson's state from the learner's
 * progress. Previous and next follow the same order. Without progress (signed out) every lesson
 * is "not started" and the percent 0.
 */
export function buildOutline(
  content: CourseContent,
  currentId: string,
  progress: CourseProgress | null,
): PlayerOutline {
  const states = new Map(progress?.lessons.map((lesson) => [lesson.lessonId, lesson.state]) ?? []);
  const sectionTitles = new Map(content.sections.map((section) => [section.id, section.title]));
  const ordered = [...content.lessons].sort((a, b) => a.position - b.position);
  const items = ordered.map((lesson: LessonContent, index): OutlineItem => ({
    id: lesson.id,
    title: lesson.title,
    kind: lesson.kind,
    number: index + 1,
    durationSeconds: lesson.durationSeconds,
    isPreview: lesson.isPreview,
    locked: lesson.locked,
    state: states.get(lesson.id) ?? "not-started",
    current: lesson.id === currentId,
  }));
  const groups: { title: string | null; sectionId: string | null; items: OutlineItem[] }[] = [];
  ordered.forEach((lesson, index) => {
    const item = items[index] as OutlineItem;
    const last = groups.at(-1);
    if (last && last.sectionId === lesson.sectionId) last.items.push(item);
    else {
      const title = lesson.sectionId ? (sectionTitles.get(lesson.sectionId) ?? null) : null;
      groups.push({ title, sectionId: lesson.sectionId, items: [item] });
    }
  });
  const at = items.findIndex((item) => item.current);
  const current = items[at];
  if (!current) throw new Error(`lesson ${currentId} is not in the outline`);
  return {
    groups: groups.map(({ title, items: grouped }) => ({ title, items: grouped })),
    items,
    previous: items[at - 1],
    next: items[at + 1],
    current,
    percent: progress?.percent ?? 0,
    completedLessons: progress?.completedLessons ?? 0,
    requiredLessons: progress?.requiredLessons ?? items.length,
    courseCompletedAt: progress?.completedAt ?? null,
  };
}

/** `mm:ss` or `h:mm:ss`, for the resume note. */
export function clockTime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A file size for a download link, in the visitor's locale (`2.4 MB`). */
export function fileSize(locale: string, bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: units[unit],
    // CLDR's short byte is "byte" whatever the count ("32 byte"); the long form says "32 bytes".
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}
