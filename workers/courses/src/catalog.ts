import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { decodeKeysetCursor, encodeKeysetCursor } from "@platform/http-kit";
import { courses } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import type { Course } from "./permissions.ts";

export interface CatalogQuery {
  readonly cursor?: string;
  readonly limit: number;
  readonly language?: string;
  readonly level?: "beginner" | "intermediate" | "advanced";
  readonly price?: "free" | "paid";
  readonly q?: string;
}

export interface CatalogPage {
  readonly items: Course[];
  readonly nextCursor: string | null;
}

/** The cursor is the last item's (publishedAt, id): stable while courses are published in between. */
export function encodeCursor(course: Course): string {
  if (!course.publishedAt) throw new Error(`course ${course.id} is not published`);
  return encodeKeysetCursor(course.publishedAt, course.id);
}

/** Only a cursor `encodeCursor` could have written (`decodeKeysetCursor`); the route answers 400 otherwise. */
export function decodeCursor(cursor: string): { publishedAt: string; id: string } | undefined {
  const position = decodeKeysetCursor(cursor);
  return position && { publishedAt: position.at, id: position.id };
}

/**
 * Published courses, newest first, through the partial indexes on published courses (filters)
 * and the GIN index on title and summary (words, `websearch` syntax: quotes and `-word` work).
 */
export async function readCatalog(db: Queryable, query: CatalogQuery): Promise<CatalogPage> {
  const conditions: SQL[] = [eq(courses.status, "published")];
  if (query.language) conditions.push(eq(courses.language, query.language));
  if (query.level) conditions.push(eq(courses.level, query.level));
  if (query.price === "free") conditions.push(isNull(courses.priceAmount));
  if (query.price === "paid") conditions.push(isNotNull(courses.priceAmount));
  if (query.q) {
    conditions.push(
      sql`to_tsvector('simple', ${courses.title} || ' ' || ${courses.summary}) @@ websearch_to_tsquery('simple', ${query.q})`,
    );
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (after) {
    const older = or(
      lt(courses.publishedAt, new Date(after.publishedAt)),
      and(eq(courses.publishedAt, new Date(after.publishedAt)), lt(courses.id, after.id)),
    );
    if (older) conditions.push(older);
  }
  const rows = await db
    .select()
    .from(courses)
    .where(and(...conditions))
    .orderBy(desc(courses.publishedAt), desc(courses.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
