import type { z } from "@hono/zod-openapi";
import type { courseSchema } from "../../workers/courses/src/routes/schemas.ts";
import { api } from "./api.ts";
import type { Person } from "./people.ts";

/** A course as the courses API answers it. */
export type CourseBody = z.infer<typeof courseSchema>;

let counter = 0;
export function uniqueSlug(tag: string): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A published course with text lessons (the first one a free preview). */
export async function publishedCourse(
  author: Person,
  options: {
    price?: { amountMinor: number; currency: string } | null;
    title?: string;
    summary?: string;
    language?: string;
  } = {},
): Promise<CourseBody> {
  const created = await api<CourseBody>("POST", "/api/courses", {
    token: author.token,
    body: {
      title: options.title ?? "A course to learn from",
      slug: uniqueSlug("course"),
      summary: options.summary ?? "Learn something real.",
      language: options.language ?? "en",
      price: options.price === undefined ? null : options.price,
    },
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
  for (const [index, title] of ["Preview lesson", "Second lesson", "Third lesson"].entries()) {
    const lesson = await api("POST", `/api/courses/${created.body.id}/lessons`, {
      token: author.token,
      body: { title, kind: "text", bodyMarkdown: `# ${title}\n\nBody ${index}.`, isPreview: index === 0 },
    });
    if (lesson.status !== 201) throw new Error(`add lesson answered ${lesson.status}`);
  }
  const published = await api<CourseBody>("POST", `/api/courses/${created.body.id}/publish`, { token: author.token });
  if (published.status !== 200)
    throw new Error(`publish answered ${published.status} ${JSON.stringify(published.body)}`);
  return published.body;
}
