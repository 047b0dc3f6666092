import { and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { renderMarkdown } from "../markdown.ts";
import { courses, lessons } from "./schema.ts";

/**
 * The courses service's step after its migrations (packages/db/src/migrate.ts runs it, under the
 * migration lock, on every `npm run migrate`, `npm start` and test stack): renders the Markdown of
 * rows whose HTML is still null, which SQL cannot do. Those are rows written before the html
 * columns existed (0004_rendered_html), or after a migration set the columns back to null because
 * the renderer changed (markdown.ts).
 *
 * In batches, by id, each batch one statement; a row is filled only if its source is still the
 * one rendered and its HTML still null, so a write racing the backfill (which renders its own) is
 * never overwritten. Idempotent: a second run finds nothing to do.
 */
export const BACKFILL_BATCH = 200;

/** Any drizzle PostgreSQL database: node-postgres here, the Neon driver in a worker. */
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT>;

interface Pending {
  readonly id: string;
  readonly source: string | null;
}

/** How many rows of each kind were filled (a type, not an interface, so it is a `ServiceBackfill` result). */
export type BackfillCounts = { readonly lessons: number; readonly courses: number };

/** The batch rendered, as a relation an UPDATE … FROM joins on: one statement per batch. */
function rendered(rows: readonly Pending[]) {
  const ids = rows.map((row) => row.id);
  const sources = rows.map((row) => row.source ?? "");
  const htmls = sources.map(renderMarkdown);
  return sql`unnest(${sql.param(ids)}::uuid[], ${sql.param(sources)}::text[], ${sql.param(htmls)}::text[]) as rendered(id, source, html)`;
}

/** Reads the next batch after the last id, fills it, until a batch comes back short. */
async function inBatches(
  batch: number,
  next: (after: string | undefined) => Promise<Pending[]>,
  fill: (rows: Pending[]) => Promise<number>,
): Promise<number> {
  let filled = 0;
  let after: string | undefined;
  for (;;) {
    const pending = await next(after);
    if (pending.length > 0) filled += await fill(pending);
    if (pending.length < batch) return filled;
    after = pending.at(-1)?.id;
  }
}

const afterId = (column: typeof lessons.id | typeof courses.id, after: string | undefined) =>
  after === undefined ? undefined : gt(column, after);

function fillLessonBodies(db: AnyPgDatabase, batch: number): Promise<number> {
  return inBatches(
    batch,
    (after) =>
      db
        .select({ id: lessons.id, source: lessons.bodyMarkdown })
        .from(lessons)
        .where(and(isNull(lessons.bodyHtml), isNotNull(lessons.bodyMarkdown), afterId(lessons.id, after)))
        .orderBy(asc(lessons.id))
        .limit(batch),
    async (rows) =>
      (
        await db
          .update(lessons)
          .set({ bodyHtml: sql`rendered.html` })
          .from(rendered(rows))
          .where(
            and(
              eq(lessons.id, sql`rendered.id`),
              eq(lessons.bodyMarkdown, sql`rendered.source`),
              isNull(lessons.bodyHtml),
            ),
          )
          .returning({ id: lessons.id })
      ).length,
  );
}

function fillCourseDescriptions(db: AnyPgDatabase, batch: number): Promise<number> {
  return inBatches(
    batch,
    (after) =>
      db
        .select({ id: courses.id, source: courses.description })
        .from(courses)
        .where(and(isNull(courses.descriptionHtml), afterId(courses.id, after)))
        .orderBy(asc(courses.id))
        .limit(batch),
    async (rows) =>
      (
        await db
          .update(courses)
          .set({ descriptionHtml: sql`rendered.html` })
          .from(rendered(rows))
          .where(
            and(
              eq(courses.id, sql`rendered.id`),
              eq(courses.description, sql`rendered.source`),
              isNull(courses.descriptionHtml),
            ),
          )
          .returning({ id: courses.id })
      ).length,
  );
}

/** Fills every lesson body's and course description's missing HTML; how many of each it filled. */
export async function backfill(db: AnyPgDatabase, batch = BACKFILL_BATCH): Promise<BackfillCounts> {
  return { lessons: await fillLessonBodies(db, batch), courses: await fillCourseDescriptions(db, batch) };
}
