import { and, asc, eq, inArray, isNull, min, sql } from "drizzle-orm";
import type { CourseOutline, LearnerCourses } from "@platform/contracts";
import { activeSubscriptionOf } from "./access.ts";
import { courses, enrollments, lessons, subscriptionAccess } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";

/**
 * What the progress service asks of courses over RPC (docs/progress.md): a course's lesson list,
 * to know what "complete" means and which lesson comes next, and a learner's grants, for "my
 * learning". Both are reads of this service's own tables, one statement each.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type OutlineLookup = { readonly courseId: string } | { readonly lessonId: string };

/**
 * A course's outline in one statement, found by the course or by one of its lessons. Undefined
 * for no such course or lesson, and for a draft: nobody learns from a draft, so progress must not
 * record anything against one. `readAt` is the statement's own time on the database's clock, so
 * the progress projection can tell which of two copies is newer.
 */
export async function readCourseOutline(db: Queryable, lookup: OutlineLookup): Promise<CourseOutline | undefined> {
  // An RPC caller is another worker, but a malformed id must still mean "no such course", not a query error.
  if (!UUID.test("courseId" in lookup ? lookup.courseId : lookup.lessonId)) return undefined;
  const where =
    "courseId" in lookup
      ? eq(courses.id, lookup.courseId)
      : inArray(courses.id, db.select({ id: lessons.courseId }).from(lessons).where(eq(lessons.id, lookup.lessonId)));
  const row = await db.query.courses.findFirst({
    columns: { id: true, title: true, slug: true, status: true },
    where,
    with: {
      lessons: {
        columns: { id: true, position: true, title: true, kind: true, durationSeconds: true, isPreview: true },
        orderBy: (lesson, { asc: ascending }) => ascending(lesson.position),
      },
    },
    extras: { readAtMs: sql<number>`(extract(epoch from statement_timestamp()) * 1000)::float8`.as("read_at_ms") },
  });
  if (!row || row.status === "draft") return undefined;
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    status: row.status,
    // Courses has no optional lessons (yet): every lesson counts towards completion.
    lessons: row.lessons.map((lesson) => ({ ...lesson, required: true })),
    readAt: new Date(Math.floor(Number(row.readAtMs))).toISOString(),
  };
}

/**
 * A learner's active grants, one entry per course (the earliest grant's time, every kind held),
 * and whether a subscription opens every course now. The two reads travel at once.
 */
export async function readLearnerCourses(db: Queryable, userId: string): Promise<LearnerCourses> {
  const [grants, subscriptions] = await Promise.all([
    db
      .select({
        courseId: enrollments.courseId,
        title: courses.title,
        slug: courses.slug,
        status: courses.status,
        // JSON, not a PostgreSQL array: an array of an enum type reaches the driver as unparsed text.
        via: sql<LearnerCourses["grants"][number]["via"]>`json_agg(distinct ${enrollments.via})`,
        grantedAt: min(enrollments.grantedAt),
      })
      .from(enrollments)
      .innerJoin(courses, eq(courses.id, enrollments.courseId))
      .where(and(eq(enrollments.userId, userId), isNull(enrollments.revokedAt)))
      .groupBy(enrollments.courseId, courses.id)
      .orderBy(asc(enrollments.courseId)),
    db
      .select({ one: sql<number>`1` })
      .from(subscriptionAccess)
      .where(activeSubscriptionOf(userId))
      .limit(1),
  ]);
  return {
    grants: grants.map((grant) => ({
      ...grant,
      grantedAt: (grant.grantedAt ?? new Date(0)).toISOString(),
    })),
    subscribed: subscriptions.length > 0,
  };
}
