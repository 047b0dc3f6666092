import { z } from "@hono/zod-openapi";
import {
  CURRENCY_CODES,
  LOWEST_MINIMUM_MINOR,
  MAXIMUM_AMOUNT_MINOR,
  amountProblem,
  currencyProblem,
  isCurrencyCode,
} from "@platform/contracts";
import { anyRole } from "@platform/service-kit";
import { priceOf } from "../courses.ts";
import type { Course } from "../permissions.ts";

/**
 * A price that can be charged, checked on every write (not only at publish): a currency and
 * minimum from the shared table (packages/contracts/src/money.ts). A free course has no price (null).
 */
export const priceSchema = z
  .object({
    amountMinor: z
      .int()
      .min(LOWEST_MINIMUM_MINOR)
      .max(MAXIMUM_AMOUNT_MINOR)
      .openapi({ description: "Integer minor units (cents), at least the currency's minimum charge", example: 4900 }),
    currency: z
      .string()
      .superRefine((currency, context) => {
        const problem = currencyProblem(currency);
        if (problem) context.addIssue({ code: "custom", message: problem });
      })
      .openapi({ description: "ISO 4217, in capitals: a currency we charge in", enum: CURRENCY_CODES, example: "EUR" }),
  })
  // The minimum depends on the currency: checked once both fields are valid on their own.
  .superRefine((price, context) => {
    const { amountMinor, currency } = price;
    const fieldsValid =
      Number.isInteger(amountMinor) && amountMinor >= LOWEST_MINIMUM_MINOR && amountMinor <= MAXIMUM_AMOUNT_MINOR;
    if (!fieldsValid || !isCurrencyCode(currency)) return;
    const problem = amountProblem(amountMinor, currency);
    if (problem) context.addIssue({ code: "custom", path: ["amountMinor"], message: problem });
  })
  .openapi("Price");

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
    description: z.string(),
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
export const authors = anyRole(["instructor", "admin"], "Only instructors and admins can author courses.");

/** What domain functions need of the request to write events: its correlation id. */
export const eventContext = (c: { var: { correlationId: string } }) => ({ correlationId: c.var.correlationId });
