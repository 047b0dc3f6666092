import type pg from "pg";
import {
  DEFAULT_RESEND_AFTER_SECONDS,
  pruneOutbox,
  pruneProcessedEvents,
  relayOutboxToQueue,
  resendUnconfirmed,
} from "@platform/db";
import { catalogRequest, readCatalog, type CatalogQuery } from "../../../workers/courses/src/catalog.ts";
import { hasAccess } from "../../../workers/courses/src/access.ts";
import { readCourse } from "../../../workers/courses/src/course-page.ts";
import type { Database as CoursesDatabase } from "../../../workers/courses/src/db/database.ts";
import { readLesson } from "../../../workers/courses/src/lesson-read.ts";
import { readOutline } from "../../../workers/courses/src/outline.ts";
import * as coursesSchema from "../../../workers/courses/src/db/schema.ts";
import { claimDue } from "../../../workers/notifications/src/delivery/claim.ts";
import type { Database as NotificationsDatabase } from "../../../workers/notifications/src/db/database.ts";
import * as notificationsSchema from "../../../workers/notifications/src/db/schema.ts";
import { readCourseProgress } from "../../../workers/progress/src/course-progress.ts";
import type { Database as ProgressDatabase } from "../../../workers/progress/src/db/database.ts";
import * as progressSchema from "../../../workers/progress/src/db/schema.ts";
import { readMyLearning } from "../../../workers/progress/src/my-learning.ts";
import { recordProgress } from "../../../workers/progress/src/record-progress.ts";

/** The three services' databases on one connection whose statements are captured (seed-volume-plans.ts). */
export interface VolumeDatabases {
  readonly courses: CoursesDatabase;
  readonly progress: ProgressDatabase;
  readonly notifications: NotificationsDatabase;
}

/** Rows of the seeded database a query needs by id (picked after seeding). */
export interface Subjects {
  readonly learner: string;
  readonly courseId: string;
  readonly slug: string;
  readonly lessonId: string;
  readonly grants: { courseId: string; title: string; slug: string; grantedAt: string }[];
}

/** One hot query: who owns it, where its code lives, and a call of that very code. */
export interface HotQuery {
  /** Stable, for tests that pick a query. */
  readonly id: string;
  readonly name: string;
  readonly worker: string;
  /** The function the statements come from, as `file: function`. */
  readonly code: string;
  /** The index (or indexes) the plan should use; checked against the plan. */
  readonly intendedIndexes: readonly string[];
  run(db: VolumeDatabases, subjects: Subjects): Promise<unknown>;
}

const catalog = (query: Partial<CatalogQuery>) => (db: VolumeDatabases) =>
  readCatalog(db.courses, catalogRequest({ limit: 20, ...query }));

/** Stand-ins for the courses RPC the progress code asks (its answers are not what is measured). */
const coursesRpc = (subjects: Subjects) => ({
  hasAccess: () => Promise.resolve(true),
  courseOutline: () => Promise.resolve({ ok: false as const, code: "unavailable" as const }),
  outlineOfLesson: () => Promise.resolve({ ok: false as const, code: "unavailable" as const }),
  learnerCourses: () =>
    Promise.resolve({
      ok: true as const,
      value: {
        grants: subjects.grants.map((grant) => ({
          ...grant,
          status: "published" as const,
          via: ["purchase" as const],
        })),
        subscribed: false,
      },
    }),
});

/** A Queue that takes everything: the claim and its mark are measured, not the send. */
const queue = { sendBatch: () => Promise.resolve() };

export const HOT_QUERIES: readonly HotQuery[] = [
  {
    id: "catalog-newest",
    name: "Catalog, first page (newest)",
    worker: "courses",
    code: "workers/courses/src/catalog.ts: readCatalog",
    intendedIndexes: ["courses_published_idx"],
    run: catalog({}),
  },
  {
    id: "catalog-filtered",
    name: "Catalog, filtered by language and level",
    worker: "courses",
    code: "workers/courses/src/catalog.ts: readCatalog",
    intendedIndexes: ["courses_catalog_idx"],
    run: catalog({ language: "de", level: "beginner" }),
  },
  {
    id: "catalog-search-rare",
    name: "Catalog search, one rare word",
    worker: "courses",
    code: "workers/courses/src/catalog.ts: readCatalog",
    intendedIndexes: ["courses_search_document_idx"],
    run: catalog({ q: "topic1234x" }),
  },
  {
    id: "catalog-search-common",
    name: "Catalog search, a common word (a fifth of the catalog), by relevance",
    worker: "courses",
    code: "workers/courses/src/catalog.ts: readCatalog",
    intendedIndexes: ["courses_search_document_idx"],
    run: catalog({ q: "algebra" }),
  },
  {
    id: "catalog-popular",
    name: "Catalog, most popular first",
    worker: "courses",
    code: "workers/courses/src/catalog.ts: readCatalog",
    intendedIndexes: ["enrollments_course_idx"],
    run: catalog({ sort: "popular" }),
  },
  {
    id: "course-page",
    name: "Course page by slug, signed in",
    worker: "courses",
    code: "workers/courses/src/course-page.ts: readCourse",
    intendedIndexes: ["courses_slug_key", "enrollments_course_idx", "subscription_access_user_idx"],
    run: (db, s) => readCourse(db.courses, { slug: s.slug }, s.learner),
  },
  {
    id: "outline",
    name: "Lesson list (outline), signed in",
    worker: "courses",
    code: "workers/courses/src/outline.ts: readOutline",
    intendedIndexes: ["courses_pkey", "sections_course_position_key", "lessons_course_position_key"],
    run: (db, s) => readOutline(db.courses, s.courseId, s.learner),
  },
  {
    id: "lesson",
    name: "One lesson, signed in",
    worker: "courses",
    code: "workers/courses/src/lesson-read.ts: readLesson",
    intendedIndexes: ["courses_pkey", "lessons_pkey"],
    run: (db, s) => readLesson(db.courses, s.courseId, s.lessonId, s.learner),
  },
  {
    id: "has-access",
    name: "Access check (the RPC progress and payments ask)",
    worker: "courses",
    code: "workers/courses/src/access.ts: hasAccess",
    intendedIndexes: ["enrollments_course_idx", "subscription_access_user_idx"],
    run: (db, s) => hasAccess(db.courses, s.learner, s.courseId),
  },
  {
    id: "progress-position",
    name: "Progress write: a player's position on a viewed lesson",
    worker: "progress",
    code: "workers/progress/src/record-progress.ts: recordProgress",
    intendedIndexes: [
      "course_lessons_pkey",
      "lesson_progress_user_id_lesson_id_pk",
      "course_progress_user_id_course_id_pk",
    ],
    run: (db, s) =>
      recordProgress(
        db.progress,
        coursesRpc(s),
        s.learner,
        s.lessonId,
        { event: "position", positionSeconds: 42 },
        { correlationId: "plans" },
      ),
  },
  {
    id: "course-progress",
    name: "Progress read: one course with the learner's lessons",
    worker: "progress",
    code: "workers/progress/src/course-progress.ts: readCourseProgress",
    intendedIndexes: ["course_outlines_pkey", "course_lessons_course_idx", "lesson_progress_learner_course_idx"],
    run: (db, s) => readCourseProgress(db.progress, coursesRpc(s), s.learner, s.courseId),
  },
  {
    id: "my-learning",
    name: "Progress read: my learning",
    worker: "progress",
    code: "workers/progress/src/my-learning.ts: readMyLearning",
    intendedIndexes: ["course_progress_user_id_course_id_pk"],
    run: (db, s) => readMyLearning(db.progress, coursesRpc(s), s.learner, { limit: 20 }),
  },
  {
    id: "outbox-claim",
    name: "Outbox claim (fast path and sweep): unqueued rows, oldest first",
    worker: "every worker (packages/db)",
    code: "packages/db/src/outbox-relay.ts: relayOutboxToQueue",
    intendedIndexes: ["outbox_unqueued_idx"],
    run: (db) => relayOutboxToQueue(db.progress, progressSchema.outbox, queue, { maxBatches: 1 }),
  },
  {
    id: "outbox-resend",
    name: "Outbox sweep: re-send what was queued and never confirmed",
    worker: "every worker (packages/db)",
    code: "packages/db/src/outbox-relay.ts: resendUnconfirmed",
    intendedIndexes: ["outbox_unconfirmed_idx"],
    run: (db) =>
      resendUnconfirmed(db.progress, progressSchema.outbox, queue, {
        afterSeconds: DEFAULT_RESEND_AFTER_SECONDS,
        maxBatches: 1,
      }),
  },
  {
    id: "outbox-prune",
    name: "Outbox retention (hourly)",
    worker: "every worker (packages/db)",
    code: "packages/db/src/retention.ts: pruneOutbox",
    intendedIndexes: ["outbox_pkey"],
    run: (db) =>
      pruneOutbox(db.courses, coursesSchema.outbox, { retentionDays: 7, requireKafkaPublished: true, maxBatches: 1 }),
  },
  {
    id: "processed-events-prune",
    name: "Dedupe marks retention (hourly)",
    worker: "every consumer (packages/db)",
    code: "packages/db/src/retention.ts: pruneProcessedEvents",
    intendedIndexes: [],
    run: (db) =>
      pruneProcessedEvents(db.progress, progressSchema.processedEvents, { retentionDays: 30, maxBatches: 1 }),
  },
  {
    id: "deliveries-claim",
    name: "Notifications: claim due deliveries (sweep)",
    worker: "notifications",
    code: "workers/notifications/src/delivery/claim.ts: claimDue",
    intendedIndexes: ["deliveries_due_idx"],
    run: (db) => claimDue(db.notifications, { now: new Date(), limit: 50 }),
  },
];

export function hotQuery(id: string): HotQuery {
  const query = HOT_QUERIES.find((candidate) => candidate.id === id);
  if (!query) throw new Error(`no hot query "${id}"`);
  return query;
}

/** A learner with progress, one of their courses, its slug and a lesson they viewed, from the seeded rows. */
export async function pickSubjects(client: pg.Client): Promise<Subjects> {
  const { rows } = await client.query<{ user_id: string; course_id: string; lesson_id: string; slug: string }>(
    `select lp.user_id, lp.course_id, lp.lesson_id, c.slug
     from progress.lesson_progress lp join courses.courses c on c.id = lp.course_id
     where c.slug like 'volume-%' and lp.first_viewed_at is not null
     order by lp.user_id, lp.lesson_id offset 5000 limit 1`,
  );
  const row = rows[0];
  if (!row) throw new Error("the volume is not seeded");
  const grants = await client.query<{ courseId: string; title: string; slug: string; grantedAt: string }>(
    `select e.course_id as "courseId", c.title, c.slug, to_json(e.granted_at) #>> '{}' as "grantedAt"
     from courses.enrollments e join courses.courses c on c.id = e.course_id where e.user_id = $1`,
    [row.user_id],
  );
  return {
    learner: row.user_id,
    courseId: row.course_id,
    slug: row.slug,
    lessonId: row.lesson_id,
    grants: grants.rows,
  };
}

export { coursesSchema, notificationsSchema, progressSchema };
