import { eq } from "drizzle-orm";
import { ProblemError, type Principal } from "@platform/http-kit";
import { courses } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";

export type Course = typeof courses.$inferSelect;

export const isAdmin = (principal: Principal | undefined) => principal?.roles.includes("admin") === true;

/** The author of a course, or an admin, may change it; nobody else. */
export function canEdit(course: Pick<Course, "authorId">, principal: Principal | undefined): boolean {
  return principal !== undefined && (course.authorId === principal.userId || isAdmin(principal));
}

/** Only instructors (and admins) write courses at all. */
export function requireAuthorRole(principal: Principal): void {
  if (!principal.roles.includes("instructor") && !isAdmin(principal)) {
    throw new ProblemError("forbidden", { detail: "Only instructors and admins can author courses." });
  }
}

export async function findCourse(db: Queryable, courseId: string): Promise<Course | undefined> {
  const [course] = await db.select().from(courses).where(eq(courses.id, courseId)).limit(1);
  return course;
}

/**
 * The course a write route works on: 404 when it does not exist, 403 when the caller is not its
 * author (or an admin). `forUpdate` locks the row, so concurrent edits of one course serialise.
 */
export async function courseForEditing(
  db: Queryable,
  courseId: string,
  principal: Principal,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<Course> {
  requireAuthorRole(principal);
  const query = db.select().from(courses).where(eq(courses.id, courseId)).limit(1);
  const [course] = forUpdate ? await query.for("update") : await query;
  if (!course) throw new ProblemError("not-found", { detail: "No such course." });
  if (!canEdit(course, principal)) {
    throw new ProblemError("forbidden", { detail: "Only the course's author or an admin can change it." });
  }
  return course;
}
