import { sql } from "drizzle-orm";
import { boolean, check, char, index, integer, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable } from "@platform/db";

/** Courses, their lessons and who may see them. */
export const coursesSchema = pgSchema("courses");

export const courseStatusEnum = coursesSchema.enum("course_status", ["draft", "published", "archived"]);
export const courseLevelEnum = coursesSchema.enum("course_level", ["beginner", "intermediate", "advanced"]);
export const lessonKindEnum = coursesSchema.enum("lesson_kind", ["video", "text", "file"]);

export const courses = coursesSchema.table(
  "courses",
  {
    id: uuid("id").primaryKey(),
    authorId: uuid("author_id").notNull(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    description: text("description").notNull().default(""),
    language: text("language").notNull().default("en"),
    level: courseLevelEnum("level").notNull().default("beginner"),
    /** Price in minor units with its ISO 4217 currency; both null for a free course. */
    priceAmount: integer("price_amount"),
    priceCurrency: char("price_currency", { length: 3 }),
    status: courseStatusEnum("status").notNull().default("draft"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("courses_slug_key").on(table.slug),
    index("courses_author_idx").on(table.authorId),
    index("courses_published_idx").on(table.publishedAt, table.id).where(sql`${table.status} = 'published'`),
    check(
      "courses_price_complete",
      sql`(${table.priceAmount} is null) = (${table.priceCurrency} is null) and coalesce(${table.priceAmount}, 0) >= 0`,
    ),
  ],
);

export const lessons = coursesSchema.table(
  "lessons",
  {
    id: uuid("id").primaryKey(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    kind: lessonKindEnum("kind").notNull(),
    bodyMarkdown: text("body_markdown"),
    mediaKey: text("media_key"),
    durationSeconds: integer("duration_seconds"),
    isPreview: boolean("is_preview").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique("lessons_course_position_key").on(table.courseId, table.position)],
);

export const outbox = outboxTable(coursesSchema);
