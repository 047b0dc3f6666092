import { z } from "@hono/zod-openapi";
import { anyRole, chargeablePriceSchema, publicAccess, withScope } from "@platform/service-kit";
import { priceOf } from "../courses.ts";
import type { Course } from "../permissions.ts";

/** A chargeable price (the kit's one rule); a free course has none (null). */
export const priceSchema = chargeablePriceSchema("Price");

export const levelSchema = z.enum(["beginner", "intermediate", "advanced"]);
export const slugSchema = z
  .string()
  .min(3)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lower-case letters, digits and single hyphens");
export const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Z]{2})?$/, "a language tag such as en or pt-BR")
  .openapi({ example: "en" });

export const courseSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    description: z.string().openapi({ description: "Markdown, as the author wrote it" }),
    descriptionHtml: z
      .string()
      .openapi({ description: "The description rendered to sanitised HTML (raw HTML escaped, unsafe links dropped)" }),
    language: z.string(),
    level: levelSchema,
    coverImageUrl: z.string().nullable(),
    price: priceSchema.nullable().openapi({ description: "Null: free" }),
    status: z.enum(["draft", "published", "archived"]),
    authorId: z.uuid(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    publishedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi("Course");

export type CourseView = z.infer<typeof courseSchema>;

export const mediaPath = (course: { id: string }, objectKey: string) =>
  `/api/courses/${course.id}/media/${objectKey.slice(`courses/${course.id}/`.length).split("/").map(encodeURIComponent).join("/")}`;

export function presentCourse(course: Course): CourseView {
  return {
    id: course.id,
    slug: course.slug,
    title: course.title,
    summary: course.summary,
    description: course.description,
    // Rendered when written; empty only for a course written before that, until the migration step fills it.
    descriptionHtml: course.descriptionHtml ?? "",
    language: course.language,
    level: course.level,
    coverImageUrl: course.coverImageKey ? mediaPath(course, course.coverImageKey) : null,
    price: priceOf(course),
    status: course.status,
    authorId: course.authorId,
    createdAt: course.createdAt.toISOString(),
    updatedAt: course.updatedAt.toISOString(),
    publishedAt: course.publishedAt?.toISOString() ?? null,
  };
}

export const courseIdParam = z.object({ id: z.uuid() });

export const sectionView = z.object({ id: z.uuid(), title: z.string(), position: z.int() }).openapi("Section");

/** Who may write a course at all; the handler then checks the course is the caller's own (or the caller an admin). */
export const authors = withScope(
  anyRole(["instructor", "admin"], "Only instructors and admins can author courses."),
  "courses:write",
);

/** A public read of the catalog or a course, which an API key may make with `courses:read` (docs/integrators.md). */
export const publicRead = (why: string) => withScope(publicAccess(why), "courses:read");

/** What domain functions need of the request to write events: its correlation id. */
export const eventContext = (c: { var: { correlationId: string } }) => ({ correlationId: c.var.correlationId });
