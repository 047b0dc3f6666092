import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { outboxTable, processedEventsTable } from "@platform/db";

/** Everything the progress service stores lives in this schema; no other service reads it. */
export const progressSchema = pgSchema("progress");

const instant = (name: string) => timestamp(name, { withTimezone: true });

export const lessonKindEnum = progressSchema.enum("lesson_kind", ["video", "text", "file"]);

/**
 * The courses this service has an outline of: a projection of the courses service's outline,
 * refreshed over RPC whenever a course event says its lessons may have changed (docs/progress.md).
 * The row is also what a refresh locks, so two refreshes of one course never interleave.
 */
export const courseOutlines = progressSchema.table("course_outlines", {
  courseId: uuid("course_id").primaryKey(),
  title: text("title").notNull(),
  slug: text("slug").notNull(),
  /** When the outline was last read from the courses service. */
  syncedAt: instant("synced_at").notNull().defaultNow(),
});

/**
 * A course's lessons as the courses service last described them. A lesson deleted there is
 * deleted here; the learners' progress rows on it stay (history), they just no longer count.
 */
export const courseLessons = progressSchema.table(
  "course_lessons",
  {
    lessonId: uuid("lesson_id").primaryKey(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => courseOutlines.courseId, { onDelete: "cascade" }),
    /** The lesson's place in the whole course, lowest first: the order "next lesson" follows. */
    position: integer("position").notNull(),
    title: text("title").notNull(),
    kind: lessonKindEnum("kind").notNull(),
    /** Known for video lessons once their media is in; a position beyond it is refused. */
    durationSeconds: integer("duration_seconds"),
    /** A free preview: anyone signed in may record progress on it. */
    isPreview: boolean("is_preview").notNull().default(false),
    /** Whether completing the course needs this lesson. */
    required: boolean("required").notNull().default(true),
  },
  (table) => [index("course_lessons_course_idx").on(table.courseId, table.position)],
);

/**
 * One learner in one course. Its row is what the completion check locks (`FOR UPDATE`), so two
 * devices completing the last two lessons at once decide the course completion one after the
 * other, and `completed_at` is set, and COURSE_COMPLETED written, exactly once.
 */
export const courseProgress = progressSchema.table(
  "course_progress",
  {
    userId: uuid("user_id").notNull(),
    courseId: uuid("course_id").notNull(),
    /** The first grant of access the courses service announced (COURSE_ACCESS_GRANTED); null for a subscriber. */
    enrolledAt: instant("enrolled_at"),
    /** The learner's first recorded activity in the course: the start of "time to complete". */
    startedAt: instant("started_at"),
    lastActivityAt: instant("last_activity_at"),
    lastLessonId: uuid("last_lesson_id"),
    /** Set once, never cleared: a lesson added later does not take the completion away. */
    completedAt: instant("completed_at"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.courseId] }),
    // Author analytics count a course's learners.
    index("course_progress_course_idx").on(table.courseId),
  ],
);

/** One learner on one lesson: viewed, completed, and where the player stopped. */
export const lessonProgress = progressSchema.table(
  "lesson_progress",
  {
    userId: uuid("user_id").notNull(),
    lessonId: uuid("lesson_id").notNull(),
    courseId: uuid("course_id").notNull(),
    firstViewedAt: instant("first_viewed_at"),
    completedAt: instant("completed_at"),
    /** Playback position in seconds (fractions allowed), for resuming on any device. */
    positionSeconds: doublePrecision("position_seconds"),
    positionUpdatedAt: instant("position_updated_at"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.lessonId] }),
    // A learner's view of one course, and the completion check.
    index("lesson_progress_learner_course_idx").on(table.userId, table.courseId),
    // Author analytics: how many learners reached each lesson.
    index("lesson_progress_course_lesson_idx").on(table.courseId, table.lessonId),
    check(
      "lesson_progress_position_non_negative",
      sql`${table.positionSeconds} is null or ${table.positionSeconds} >= 0`,
    ),
  ],
);

/**
 * Certificates issued on COURSE_COMPLETED (src/certificates, docs/certificates.md): one per
 * learner and course, with the signed credential that anyone can verify against the JWKS.
 */
export const certificates = progressSchema.table(
  "certificates",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    courseId: uuid("course_id").notNull(),
    learnerName: text("learner_name").notNull(),
    courseTitle: text("course_title").notNull(),
    completedAt: instant("completed_at").notNull(),
    issuedAt: instant("issued_at").notNull().defaultNow(),
    credential: text("credential").notNull(),
    revokedAt: instant("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (table) => [unique("certificates_user_course_key").on(table.userId, table.courseId)],
);

export const processedEvents = processedEventsTable(progressSchema);

export const outbox = outboxTable(progressSchema);
