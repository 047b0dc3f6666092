/**
 * A course's syllabus as the courses API answers it for its public page
 * (`GET /api/courses/{id}/outline`): sections and lessons in order, what each lesson is and how
 * long, which are free previews, and who teaches it. Never any lesson's content.
 */
export interface SyllabusLesson {
  readonly id: string;
  readonly sectionId: string | null;
  readonly position: number;
  readonly title: string;
  readonly kind: "video" | "text" | "file";
  readonly isPreview: boolean;
  readonly durationSeconds: number | null;
}

export interface SyllabusSection {
  readonly id: string;
  readonly title: string;
  readonly position: number;
}

export interface Syllabus {
  readonly courseId: string;
  readonly instructor: { readonly id: string; readonly name: string | null };
  readonly sections: readonly SyllabusSection[];
  readonly lessons: readonly SyllabusLesson[];
}

/** One block of the syllabus as shown: a section and its lessons, or the lessons in no section. */
export interface SyllabusGroup {
  readonly section: SyllabusSection | null;
  readonly lessons: readonly SyllabusLesson[];
}

const byPosition = <T extends { position: number }>(a: T, b: T) => a.position - b.position;

/**
 * The syllabus in reading order: lessons in no section first (an introduction, usually), then
 * each section in its order with its lessons in theirs. Empty sections are left out.
 */
export function groupSyllabus(syllabus: Syllabus): SyllabusGroup[] {
  const lessons = [...syllabus.lessons].sort(byPosition);
  const known = new Set(syllabus.sections.map((section) => section.id));
  const loose = lessons.filter((lesson) => lesson.sectionId === null || !known.has(lesson.sectionId));
  const groups: SyllabusGroup[] = loose.length > 0 ? [{ section: null, lessons: loose }] : [];
  for (const section of [...syllabus.sections].sort(byPosition)) {
    const inSection = lessons.filter((lesson) => lesson.sectionId === section.id);
    if (inSection.length > 0) groups.push({ section, lessons: inSection });
  }
  return groups;
}

/** Where a new learner starts: the first lesson in course order (the progress service's order too). */
export function firstLesson(syllabus: Syllabus): SyllabusLesson | undefined {
  return [...syllabus.lessons].sort(byPosition)[0];
}

/** The length of the lessons whose length is known, in seconds (0: none known). */
export function knownDurationSeconds(lessons: readonly SyllabusLesson[]): number {
  return lessons.reduce((total, lesson) => total + (lesson.durationSeconds ?? 0), 0);
}

/** Whole minutes, at least one for any length. */
export function minutesOf(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

/** The lesson player's address, fixed with the lesson pages: `/learn/{slug}/{lessonId}`. */
export function lessonHref(slug: string, lessonId: string): string {
  return `/learn/${encodeURIComponent(slug)}/${encodeURIComponent(lessonId)}`;
}

export function coursePath(slug: string): string {
  return `/courses/${encodeURIComponent(slug)}`;
}
