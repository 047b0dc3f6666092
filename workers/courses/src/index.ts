import { inArray } from "drizzle-orm";
import type {
  CourseEditorsRpc,
  CourseEditRights,
  CourseEditRightsRpc,
  CourseForSale,
  CourseOutline,
  CoursesRpc,
  EventOutcome,
  LearnerCourses,
  LearnerRecords,
  RpcResult,
} from "@platform/contracts";
import { SUBSCRIPTIONS, type PlatformEvent } from "@platform/events";
import { DomainWorker } from "@platform/service-kit/worker";
import { hasAccess } from "./access.ts";
import { app } from "./app.ts";
import { priceOf } from "./courses.ts";
import type { Database } from "./db/database.ts";
import * as schema from "./db/schema.ts";
import type { CoursesBindings } from "./env.ts";
import { applyEvent } from "./event-handlers.ts";
import { learnerRecords } from "./learner-data.ts";
import { abortAbandonedUploads } from "./media/abandoned.ts";
import { canEdit, findCourse, isAdmin } from "./permissions.ts";
import { readCourseOutline, readLearnerCourses, type OutlineLookup } from "./progress-reads.ts";

/** An upload with no new part for this long is abandoned. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

export default class CoursesWorker
  extends DomainWorker<CoursesBindings, typeof schema>
  implements CoursesRpc, CourseEditorsRpc, CourseEditRightsRpc
{
  protected readonly service = { name: "courses", schema, app, consumes: SUBSCRIPTIONS.COURSES };

  /** The seed's `hasAccess(userId, courseId)`, for other workers (progress, notifications). */
  async hasAccess(userId: string, courseId: string): Promise<boolean> {
    return this.withDatabase((db) => hasAccess(db, userId, courseId), { writesEvents: false });
  }

  /**
   * What the payments worker needs to sell a course: its title, status and price (null: free).
   * Undefined when there is no such course.
   */
  async courseForSale(courseId: string): Promise<CourseForSale | undefined> {
    return this.withDatabase(
      async (db) => {
        const course = await findCourse(db, courseId);
        return (
          course && {
            id: course.id,
            title: course.title,
            slug: course.slug,
            status: course.status,
            price: priceOf(course),
          }
        );
      },
      { writesEvents: false },
    );
  }

  /** A person's grants and subscription access, for their data export (the users worker asks). */
  async learnerRecords(userId: string): Promise<RpcResult<LearnerRecords, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await learnerRecords(db, userId) }), {
      writesEvents: false,
    });
  }

  /** A course's lessons in order, for the progress service's projection of them (docs/progress.md). */
  async courseOutline(courseId: string): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">> {
    return this.outline({ courseId });
  }

  /** The same, found by one of the course's lessons (progress knows only the lesson it is told of). */
  async outlineOfLesson(lessonId: string): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">> {
    return this.outline({ lessonId });
  }

  private outline(lookup: OutlineLookup): Promise<RpcResult<CourseOutline, "not-found" | "unavailable">> {
    return this.withDatabaseResult(
      async (db) => {
        const outline = await readCourseOutline(db, lookup);
        return outline ? { ok: true as const, value: outline } : { ok: false as const, code: "not-found" as const };
      },
      { writesEvents: false },
    );
  }

  /** A learner's active grants and subscription, for the progress service's "my learning". */
  async learnerCourses(userId: string): Promise<RpcResult<LearnerCourses, "unavailable">> {
    return this.withDatabaseResult(async (db) => ({ ok: true, value: await readLearnerCourses(db, userId) }), {
      writesEvents: false,
    });
  }

  /**
   * Whether this caller may edit the course, by the authoring rule (its author as an instructor, or an
   * admin): the progress service shows a course's analytics only to them.
   */
  async mayEditCourse(
    caller: { readonly userId: string; readonly roles: readonly string[] },
    courseId: string,
  ): Promise<RpcResult<boolean, "not-found" | "unavailable">> {
    return this.withDatabaseResult(
      async (db) => {
        const course = await findCourse(db, courseId);
        if (!course) return { ok: false as const, code: "not-found" as const };
        return {
          ok: true as const,
          value: (caller.roles.includes("instructor") || isAdmin(caller)) && canEdit(course, caller),
        };
      },
      { writesEvents: false },
    );
  }

  /**
   * `mayEditCourse` for several courses in one read (the payments service's revenue of a page of
   * the studio's list). Ids must be UUIDs: the caller validates them, as for `mayEditCourse`.
   */
  async mayEditCourses(
    caller: { readonly userId: string; readonly roles: readonly string[] },
    courseIds: readonly string[],
  ): Promise<RpcResult<CourseEditRights, "unavailable">> {
    const ids = [...new Set(courseIds)];
    return this.withDatabaseResult(
      async (db) => {
        const found =
          ids.length === 0
            ? []
            : await db
                .select({ id: schema.courses.id, authorId: schema.courses.authorId })
                .from(schema.courses)
                .where(inArray(schema.courses.id, ids));
        const authorOf = new Map(found.map((course) => [course.id, course]));
        const mayAuthor = caller.roles.includes("instructor") || isAdmin(caller);
        const rights = { editable: [] as string[], notEditable: [] as string[], notFound: [] as string[] };
        for (const id of ids) {
          const course = authorOf.get(id);
          if (!course) rights.notFound.push(id);
          else if (mayAuthor && canEdit(course, caller)) rights.editable.push(id);
          else rights.notEditable.push(id);
        }
        return { ok: true as const, value: rights };
      },
      { writesEvents: false },
    );
  }

  /** Purchases, refunds, subscriptions, integrators' enrollments and catalog invalidation arrive here. */
  protected override applyEvent(db: Database, event: PlatformEvent): Promise<EventOutcome> {
    return applyEvent(db, this.env.CATALOG_CACHE, event);
  }

  /**
   * The cron's other chore here: aborts uploads nobody has added a part to for a day, so R2
   * does not keep their parts. Resolves to how many were aborted.
   */
  async abortAbandonedUploads(): Promise<number> {
    const idleSince = new Date(Date.now() - ABANDONED_AFTER_MS);
    return this.withDatabase((db) => abortAbandonedUploads(db, this.env.MEDIA, idleSince), {
      writesEvents: false,
    });
  }
}
