import { eq, sql, type Column, type SQL } from "drizzle-orm";
import { accessCondition } from "./access.ts";
import { courses } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import type { Course } from "./permissions.ts";

/** A course is looked up by its id, or by its slug (the site's course pages). */
export type CourseLookup = { readonly id: string } | { readonly slug: string };

export interface CourseRead {
  readonly course: Course;
  /** Whether the signed-in caller holds access (a grant or a subscription); false when anonymous. */
  readonly viewerHasAccess: boolean;
}

/**
 * The caller's access, selected beside the course's own columns: one statement answers both what
 * the course is and whether this caller may see it when it is not published.
 */
export function viewerAccess(db: Queryable, viewerId: string | undefined, courseId: Column): SQL.Aliased<boolean> {
  const condition = viewerId === undefined ? sql`false` : accessCondition(db, viewerId, courseId);
  return sql<boolean>`${condition}`.as("viewer_has_access");
}

export function lookupCondition(lookup: CourseLookup): SQL {
  return "id" in lookup ? eq(courses.id, lookup.id) : eq(courses.slug, lookup.slug);
}

/** The course page's one query: the course row and the caller's access. Undefined: no such course. */
export async function readCourse(
  db: Queryable,
  lookup: CourseLookup,
  viewerId?: string,
): Promise<CourseRead | undefined> {
  const row = await db.query.courses.findFirst({
    where: lookupCondition(lookup),
    extras: (fields) => ({ viewerHasAccess: viewerAccess(db, viewerId, fields.id) }),
  });
  if (!row) return undefined;
  const { viewerHasAccess, ...course } = row;
  return { course, viewerHasAccess };
}
