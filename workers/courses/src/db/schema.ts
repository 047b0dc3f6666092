import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  primaryKey,
  char,
  index,
  integer,
  jsonb,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { pgSchema } from "drizzle-orm/pg-core";
import { outboxTable, processedEventsTable } from "@platform/db";
import { searchDocument } from "./search-document.ts";

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
    /** The author's Markdown. */
    description: text("description").notNull().default(""),
    /**
     * `description` rendered to sanitised HTML when it is written (markdown.ts), so no read runs
     * the renderer. Null only for a row written before this column, until the migration step's
     * backfill fills it (db/backfill.ts).
     */
    descriptionHtml: text("description_html"),
    language: text("language").notNull().default("en"),
    level: courseLevelEnum("level").notNull().default("beginner"),
    /** Price in minor units with its ISO 4217 currency; both null for a free course. */
    priceAmount: integer("price_amount"),
    priceCurrency: char("price_currency", { length: 3 }),
    status: courseStatusEnum("status").notNull().default("draft"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** An R2 key under this course's media (served by GET /api/courses/{id}/media/{key}), or null. */
    coverImageKey: text("cover_image_key"),
    /**
     * `title` and `summary` folded for search (search-words.ts: case, accents and punctuation gone),
     * written with them. Null only for a row written straight into the table, until the backfill
     * fills it (db/backfill.ts); the search reads the raw column meanwhile (db/search-document.ts).
     */
    titleFolded: text("title_folded"),
    summaryFolded: text("summary_folded"),
  },
  (table) => [
    uniqueIndex("courses_slug_key").on(table.slug),
    index("courses_author_idx").on(table.authorId, table.id),
    index("courses_published_idx")
      .on(table.publishedAt, table.id)
      .where(sql`${table.status} = 'published'`),
    // The catalog's filters run on published courses only, newest first.
    index("courses_catalog_idx")
      .on(table.language, table.level, table.publishedAt, table.id)
      .where(sql`${table.status} = 'published'`),
    // Prefix search over the folded title and summary; the catalog query uses the same expression.
    index("courses_search_document_idx")
      .using("gin", searchDocument(table))
      .where(sql`${table.status} = 'published'`),
    check(
      "courses_price_complete",
      sql`(${table.priceAmount} is null) = (${table.priceCurrency} is null) and coalesce(${table.priceAmount}, 0) >= 0`,
    ),
  ],
);

/** Sections (modules) group a course's lessons; their order is the table of contents. */
export const sections = coursesSchema.table(
  "sections",
  {
    id: uuid("id").primaryKey(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique("sections_course_position_key").on(table.courseId, table.position)],
);

/** A caption track: `language` a BCP 47 tag (`srclang`), `label` what the player's menu shows, `key` the VTT's R2 key. */
export interface LessonCaption {
  readonly language: string;
  readonly label: string;
  readonly key: string;
}

/** A download: the name the learner saves it as, its R2 key, and its type and size as the upload stored them. */
export interface LessonDownload {
  readonly fileName: string;
  readonly key: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

export const lessons = coursesSchema.table(
  "lessons",
  {
    id: uuid("id").primaryKey(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    /** Null: the lesson sits outside any section (a course without sections). */
    sectionId: uuid("section_id").references(() => sections.id, { onDelete: "set null" }),
    /** The lesson's place in the whole course, lowest first (unique per course). */
    position: integer("position").notNull(),
    title: text("title").notNull(),
    kind: lessonKindEnum("kind").notNull(),
    /** Text lessons: the author's Markdown. */
    bodyMarkdown: text("body_markdown"),
    /**
     * `bodyMarkdown` rendered to sanitised HTML when it is written, as `descriptionHtml` is: null
     * when there is no body, or for a row written before this column until the backfill fills it.
     */
    bodyHtml: text("body_html"),
    /** Video and file lessons: the R2 key of a completed upload. */
    mediaKey: text("media_key"),
    /**
     * Video lessons: caption tracks (WebVTT uploads of this course), in the author's order. A small
     * list that is only ever read and written whole with its lesson, so a column rather than a table.
     */
    captions: jsonb("captions").$type<LessonCaption[]>().notNull().default([]),
    /** Any lesson: files learners may download beside it (uploads of this course), in the author's order. */
    downloads: jsonb("downloads").$type<LessonDownload[]>().notNull().default([]),
    durationSeconds: integer("duration_seconds"),
    isPreview: boolean("is_preview").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique("lessons_course_position_key").on(table.courseId, table.position),
    index("lessons_section_idx").on(table.sectionId),
  ],
);

/**
 * How a course's sections and lessons hang together, for drizzle's relational queries: the lesson
 * list reads a course with both in one statement (outline.ts). Relations are not schema: they
 * change no table and need no migration.
 */
export const courseRelations = relations(courses, ({ many }) => ({ sections: many(sections), lessons: many(lessons) }));
export const sectionRelations = relations(sections, ({ one }) => ({
  course: one(courses, { fields: [sections.courseId], references: [courses.id] }),
}));
export const lessonRelations = relations(lessons, ({ one }) => ({
  course: one(courses, { fields: [lessons.courseId], references: [courses.id] }),
}));

export const accessViaEnum = coursesSchema.enum("access_via", [
  "purchase",
  "subscription",
  "free_enrollment",
  "integrator",
]);

/**
 * Who may learn what. One row per grant (a learner can hold a purchase and a free enrollment of
 * the same course); access exists while any grant for the pair is active. A refund revokes only
 * the grant its payment made.
 */
export const enrollments = coursesSchema.table(
  "enrollments",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    via: accessViaEnum("via").notNull(),
    /** The payment, integrator reference or "free"; unique per pair and kind, so a grant is made once. */
    reference: text("reference").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (table) => [
    unique("enrollments_grant_key").on(table.userId, table.courseId, table.via, table.reference),
    // A course's learners: with user_id in it, the catalog's popular order counts them from the index
    // alone (an index-only scan), not from every grant's heap row (docs/scaling.md).
    index("enrollments_course_idx")
      .on(table.courseId, table.userId)
      .where(sql`${table.revokedAt} is null`),
    index("enrollments_user_idx")
      .on(table.userId, table.courseId)
      .where(sql`${table.revokedAt} is null`),
  ],
);

/**
 * All-access subscriptions as this service learns them from payment events: a subscriber can
 * open every course until `endsAt` (null while it runs with no end set).
 */
export const subscriptionAccess = coursesSchema.table(
  "subscription_access",
  {
    subscriptionId: uuid("subscription_id").primaryKey(),
    userId: uuid("user_id").notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("subscription_access_user_idx").on(table.userId)],
);

export const uploadStatusEnum = coursesSchema.enum("upload_status", ["uploading", "completed", "aborted"]);

/**
 * Resumable uploads of course media straight to R2 (multipart). The row remembers what was
 * promised (type, size, part size) so parts and completion are checked against it, and so an
 * abandoned upload can be found and aborted.
 */
export const mediaUploads = coursesSchema.table(
  "media_uploads",
  {
    id: uuid("id").primaryKey(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").notNull(),
    /** The R2 object key, under `courses/<courseId>/`. */
    objectKey: text("object_key").notNull().unique(),
    /** R2's multipart upload id. */
    uploadId: text("upload_id").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    partSizeBytes: integer("part_size_bytes").notNull(),
    status: uploadStatusEnum("status").notNull().default("uploading"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (table) => [
    index("media_uploads_pending_idx")
      .on(table.createdAt)
      .where(sql`${table.status} = 'uploading'`),
  ],
);

/**
 * The parts R2 has stored for an upload (the R2 binding cannot list them), so an interrupted
 * upload can ask which parts are already there and send only the rest.
 */
export const mediaUploadParts = coursesSchema.table(
  "media_upload_parts",
  {
    uploadId: uuid("upload_id")
      .notNull()
      .references(() => mediaUploads.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.uploadId, table.partNumber] })],
);

export const processedEvents = processedEventsTable(coursesSchema);

export const outbox = outboxTable(coursesSchema);
