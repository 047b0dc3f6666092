import { and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { renderMarkdown } from "../markdown.ts";
import { foldForSearch } from "../search-words.ts";
import { courses, lessons } from "./schema.ts";

/**
 * The courses service's step after its migrations (packages/db/src/migrate.ts runs it, under the
 * migration lock, on every `npm run migrate`, `npm start` and test stack): what SQL cannot do.
 * - Renders the Markdown of rows whose HTML is still null: rows written before the html columns
 *   existed (0004_rendered_html), or after a migration set them back to null because the renderer
 *   changed (markdown.ts).
 * - Folds the title and summary of courses whose folded columns are still null (search-words.ts):
 *   rows written before those columns existed (0006_catalog_prefix_search), rows a tool wrote
 *   straight into the table (demo data, a benchmark's seed, which call `backfillAll` after), or
 *   after a migration set them back to null because the folding changed.
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
export type BackfillCounts = {
  readonly lessons: number;
  readonly courses: number;
  readonly searchTitles: number;
  readonly searchSummaries: number;
};

/** The batch transformed, as a relation an UPDATE … FROM joins on: one statement per batch. */
function transformed(rows: readonly Pending[], transform: (source: string) => string) {
  const ids = rows.map((row) => row.id);
  const sources = rows.map((row) => row.source ?? "");
  const results = sources.map(transform);
  return sql`unnest(${sql.param(ids)}::uuid[], ${sql.param(sources)}::text[], ${sql.param(results)}::text[]) as transformed(id, source, result)`;
}

const rendered = (rows: readonly Pending[]) => transformed(rows, renderMarkdown);

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
          .set({ bodyHtml: sql`transformed.result` })
          .from(rendered(rows))
          .where(
            and(
              eq(lessons.id, sql`transformed.id`),
              eq(lessons.bodyMarkdown, sql`transformed.source`),
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
          .set({ descriptionHtml: sql`transformed.result` })
          .from(rendered(rows))
          .where(
            and(
              eq(courses.id, sql`transformed.id`),
              eq(courses.description, sql`transformed.source`),
              isNull(courses.descriptionHtml),
            ),
          )
          .returning({ id: courses.id })
      ).length,
  );
}

/** The folded search columns (db/search-document.ts), each filled from its source on its own. */
const FOLDED_FROM = { titleFolded: courses.title, summaryFolded: courses.summary } as const;

/**
 * One column at a time, so that a write changing only the title (which folds it) does not hold up
 * the summary's fill, and the other way round.
 */
function fillFolded(db: AnyPgDatabase, batch: number, column: keyof typeof FOLDED_FROM): Promise<number> {
  const source = FOLDED_FROM[column];
  const folded = courses[column];
  const value = sql`transformed.result`;
  return inBatches(
    batch,
    (after) =>
      db
        .select({ id: courses.id, source })
        .from(courses)
        .where(and(isNull(folded), afterId(courses.id, after)))
        .orderBy(asc(courses.id))
        .limit(batch),
    async (rows) =>
      (
        await db
          .update(courses)
          .set(column === "titleFolded" ? { titleFolded: value } : { summaryFolded: value })
          .from(transformed(rows, foldForSearch))
          .where(and(eq(courses.id, sql`transformed.id`), eq(source, sql`transformed.source`), isNull(folded)))
          .returning({ id: courses.id })
      ).length,
  );
}

/**
 * Fills every lesson body's and course description's missing HTML, and every course's missing
 * folded title and summary; how many of each it filled.
 */
export async function backfill(db: AnyPgDatabase, batch = BACKFILL_BATCH): Promise<BackfillCounts> {
  return {
    lessons: await fillLessonBodies(db, batch),
    courses: await fillCourseDescriptions(db, batch),
    searchTitles: await fillFolded(db, batch, "titleFolded"),
    searchSummaries: await fillFolded(db, batch, "summaryFolded"),
  };
}
