import { expect } from "vitest";
import { uniqueSlug } from "../../../test/support/courses.ts";
import type { InProcessClient, Principal } from "../../../test/support/in-process.ts";
import type { CourseView } from "../src/routes/schemas.ts";

export interface LessonAnswer {
  readonly id: string;
  readonly title: string;
  readonly locked: boolean;
  readonly html: string | null;
  readonly markdown: string | null;
}

export interface OutlineAnswer {
  readonly courseId: string;
  readonly access: "full" | "preview";
  readonly sections: { id: string; title: string; position: number }[];
  readonly lessons: LessonAnswer[];
}

/** A draft course written through the app, as its author would. */
export async function draftCourse(
  courses: InProcessClient,
  author: Principal,
  fields: Record<string, unknown> = {},
): Promise<CourseView> {
  const created = await courses.request<CourseView>("POST", "/api/courses", {
    as: author,
    body: { title: "A course to cache", slug: uniqueSlug("cached"), summary: "Learn.", price: null, ...fields },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

export async function addTextLesson(
  courses: InProcessClient,
  author: Principal,
  courseId: string,
  body: { title: string; bodyMarkdown: string; isPreview?: boolean },
): Promise<LessonAnswer> {
  const added = await courses.request<LessonAnswer>("POST", `/api/courses/${courseId}/lessons`, {
    as: author,
    body: { kind: "text", isPreview: false, ...body },
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body;
}

/** A free published course with two text lessons, the first a free preview. */
export async function publishedCourse(
  courses: InProcessClient,
  author: Principal,
  fields: Record<string, unknown> = {},
): Promise<CourseView> {
  const course = await draftCourse(courses, author, fields);
  await addTextLesson(courses, author, course.id, {
    title: "Preview",
    bodyMarkdown: "# Open\n\nFor all.",
    isPreview: true,
  });
  await addTextLesson(courses, author, course.id, { title: "Locked", bodyMarkdown: "# Closed\n\nFor learners." });
  const published = await courses.request<CourseView>("POST", `/api/courses/${course.id}/publish`, { as: author });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body;
}
