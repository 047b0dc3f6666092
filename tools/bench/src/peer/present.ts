import type { CourseRow, LessonRow, SectionRow } from "./queries.ts";

// The platform's JSON, field for field and in the same order (workers/courses/src/routes:
// schemas.ts presentCourse, lessons.ts presentLesson). The bench compares the two answers byte
// for byte before it measures; when the platform's shape changes, that check fails and names
// the first differing byte, and this file follows.

const mediaPath = (courseId: string, objectKey: string) =>
  `/api/courses/${courseId}/media/${objectKey.slice(`courses/${courseId}/`.length).split("/").map(encodeURIComponent).join("/")}`;

const iso = (timestamp: string) => new Date(timestamp).toISOString();

export function presentCourse(course: CourseRow) {
  return {
    id: course.id,
    slug: course.slug,
    title: course.title,
    summary: course.summary,
    description: course.description,
    descriptionHtml: course.description_html ?? "",
    language: course.language,
    level: course.level,
    coverImageUrl: course.cover_image_key ? mediaPath(course.id, course.cover_image_key) : null,
    price:
      course.price_amount === null || course.price_currency === null
        ? null
        : { amountMinor: course.price_amount, currency: course.price_currency },
    status: course.status,
    authorId: course.author_id,
    createdAt: iso(course.created_at),
    updatedAt: iso(course.updated_at),
    publishedAt: course.published_at === null ? null : iso(course.published_at),
  };
}

export function presentOutline(
  course: CourseRow,
  sections: readonly SectionRow[],
  lessons: readonly LessonRow[],
  open: boolean,
  author: boolean,
) {
  return {
    courseId: course.id,
    access: open ? "full" : "preview",
    sections: sections.map(({ id, title, position }) => ({ id, title, position })),
    lessons: lessons.map((lesson) => {
      const unlocked = open || lesson.is_preview;
      return {
        id: lesson.id,
        sectionId: lesson.section_id,
        position: lesson.position,
        title: lesson.title,
        kind: lesson.kind,
        isPreview: lesson.is_preview,
        durationSeconds: lesson.duration_seconds,
        locked: !unlocked,
        html: unlocked ? lesson.body_html : null,
        markdown: author ? lesson.body_markdown : null,
        mediaUrl: unlocked && lesson.media_key ? mediaPath(course.id, lesson.media_key) : null,
        // The read-path course has text lessons only: no caption tracks, no downloads, nothing signed. A
        // seed with media would need the platform's signed links here (MEDIA_URL_SECRET and its scheme).
        captions: [],
        downloads: [],
        urlsExpireAt: null,
      };
    }),
  };
}
