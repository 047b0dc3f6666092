import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { priceProblem } from "@platform/contracts";
import { insertedRow, isUniqueViolation } from "@platform/db";
import { recordEvent } from "@platform/events";
import { ProblemError } from "@platform/http-kit";
import { courses, lessons, outbox } from "./db/schema.ts";
import type { Database, Queryable, Transaction } from "./db/database.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Course } from "./permissions.ts";
import { foldForSearch } from "./search-words.ts";

export interface Price {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface CourseFields {
  readonly title: string;
  readonly slug: string;
  readonly summary: string;
  readonly description: string;
  readonly language: string;
  readonly level: "beginner" | "intermediate" | "advanced";
  /** Null: the course is free. */
  readonly price: Price | null;
}

export interface EventContext {
  readonly correlationId: string;
}

const source = "courses";

/** A URL-safe slug from a title: lower-case words joined by hyphens, accents dropped. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "course";
}

const slugTaken = (slug: string) =>
  new ProblemError("conflict", { detail: `The slug "${slug}" is taken by another course; choose another.` });

/** The description's HTML, rendered before the transaction so it holds no lock while Markdown renders. */
function descriptionColumns(description: string | undefined) {
  return description === undefined ? {} : { description, descriptionHtml: renderMarkdown(description) };
}

/** The title and summary folded for the catalog's search, written with them (search-words.ts). */
function searchColumns({ title, summary }: { title?: string; summary?: string }) {
  return {
    ...(title !== undefined && { titleFolded: foldForSearch(title) }),
    ...(summary !== undefined && { summaryFolded: foldForSearch(summary) }),
  };
}

function priceColumns(price: Price | null) {
  return { priceAmount: price?.amountMinor ?? null, priceCurrency: price?.currency ?? null };
}

export function priceOf(course: Course): Price | null {
  return course.priceAmount === null || course.priceCurrency === null
    ? null
    : { amountMinor: course.priceAmount, currency: course.priceCurrency };
}

/** A draft course and its COURSE_CREATED event, in one transaction. */
export async function createCourse(
  db: Database,
  authorId: string,
  fields: CourseFields,
  context: EventContext,
): Promise<Course> {
  const { price, description, ...rest } = fields;
  const values = {
    id: uuidv7(),
    authorId,
    ...rest,
    ...searchColumns(rest),
    ...descriptionColumns(description),
    ...priceColumns(price),
  };
  try {
    return await db.transaction(async (tx) => {
      const course = insertedRow(await tx.insert(courses).values(values).returning());
      await recordEvent(
        tx,
        outbox,
        "COURSE_CREATED",
        { courseId: course.id, authorId, title: course.title, slug: course.slug },
        { source, ...context },
      );
      return course;
    });
  } catch (error) {
    if (isUniqueViolation(error, "courses_slug_key")) throw slugTaken(fields.slug);
    throw error;
  }
}

/** Records that a course changed (catalog caches and integrators listen for it). */
export async function recordCourseUpdated(tx: Transaction, course: Course, changed: string[], context: EventContext) {
  await recordEvent(
    tx,
    outbox,
    "COURSE_UPDATED",
    { courseId: course.id, authorId: course.authorId, changed, status: course.status },
    { source, ...context },
  );
}

/** Applies the changed fields and records COURSE_UPDATED naming them; nothing changed → no event. */
export async function updateCourse(
  db: Database,
  course: Course,
  changes: Partial<CourseFields>,
  context: EventContext,
): Promise<Course> {
  const { price, description, ...rest } = changes;
  const values = {
    ...rest,
    ...searchColumns(rest),
    ...descriptionColumns(description),
    ...(price !== undefined && priceColumns(price)),
  };
  const changed = Object.keys(changes);
  if (changed.length === 0) return course;
  try {
    return await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(courses)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(courses.id, course.id))
        .returning();
      if (!updated) throw new ProblemError("not-found", { detail: "No such course." });
      await recordCourseUpdated(tx, updated, changed, context);
      return updated;
    });
  } catch (error) {
    if (changes.slug !== undefined && isUniqueViolation(error, "courses_slug_key")) throw slugTaken(changes.slug);
    throw error;
  }
}

/**
 * What stops a course from being published: the learner must find something to learn and a
 * clear price. Every problem is listed at once, so an author fixes them in one go.
 */
export async function publicationProblems(db: Queryable, course: Course): Promise<string[]> {
  const problems: string[] = [];
  if (course.summary.trim() === "") problems.push("summary: write a summary for the catalog");
  const [lessonCount] = await db.select({ n: count() }).from(lessons).where(eq(lessons.courseId, course.id));
  if (!lessonCount || lessonCount.n === 0) problems.push("lessons: add at least one lesson");
  const withoutMedia = await db
    .select({ title: lessons.title })
    .from(lessons)
    .where(and(eq(lessons.courseId, course.id), inArray(lessons.kind, ["video", "file"]), isNull(lessons.mediaKey)));
  for (const lesson of withoutMedia) problems.push(`lessons: "${lesson.title}" has no uploaded media yet`);
  // Every write checks the price too (routes/schemas.ts); this catches a row stored before that rule.
  const price = priceOf(course);
  const priceIssue = price && priceProblem(price);
  if (priceIssue) problems.push(`price: ${priceIssue.message} (or make the course free)`);
  return problems;
}

/** Publishes a draft (or re-publishes an archived course) and records COURSE_PUBLISHED. */
export async function publishCourse(db: Database, course: Course, context: EventContext): Promise<Course> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(courses).where(eq(courses.id, course.id)).for("update");
    if (!locked) throw new ProblemError("not-found", { detail: "No such course." });
    if (locked.status === "published") {
      throw new ProblemError("conflict", { detail: "The course is already published." });
    }
    const problems = await publicationProblems(tx, locked);
    if (problems.length > 0) {
      throw new ProblemError("unprocessable", {
        detail: "The course is not ready to publish.",
        errors: problems.map((problem) => {
          const at = problem.indexOf(": ");
          return { path: problem.slice(0, at), message: problem.slice(at + 2) };
        }),
      });
    }
    const [published] = await tx
      .update(courses)
      // Millisecond precision, so the catalog cursor (a JS date) matches it exactly.
      .set({ status: "published", publishedAt: sql`date_trunc('milliseconds', now())`, updatedAt: sql`now()` })
      .where(eq(courses.id, course.id))
      .returning();
    if (!published?.publishedAt) throw new Error("publish returned no row");
    await recordEvent(
      tx,
      outbox,
      "COURSE_PUBLISHED",
      {
        courseId: published.id,
        authorId: published.authorId,
        title: published.title,
        slug: published.slug,
        price: priceOf(published),
        publishedAt: published.publishedAt.toISOString(),
      },
      { source, ...context },
    );
    return published;
  });
}

/** Takes a course out of the catalog; learners who have access keep it. */
export async function archiveCourse(db: Database, course: Course, context: EventContext): Promise<Course> {
  if (course.status === "archived") throw new ProblemError("conflict", { detail: "The course is already archived." });
  return db.transaction(async (tx) => {
    const [archived] = await tx
      .update(courses)
      .set({ status: "archived", updatedAt: sql`now()` })
      .where(eq(courses.id, course.id))
      .returning();
    if (!archived) throw new ProblemError("not-found", { detail: "No such course." });
    await recordCourseUpdated(tx, archived, ["status"], context);
    return archived;
  });
}
