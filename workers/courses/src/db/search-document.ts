import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** The columns a course's search document is made of. */
export interface SearchSources {
  readonly title: AnyColumn;
  readonly summary: AnyColumn;
  readonly titleFolded: AnyColumn;
  readonly summaryFolded: AnyColumn;
}

/**
 * What the catalog searches: the folded title weighted A and the folded summary weighted B, as a
 * `tsvector` of the `simple` configuration (no stemming, no stop words: every word is kept as it
 * is, so a prefix query finds it). The GIN index (schema.ts) and the catalog's query (catalog.ts)
 * use this one expression, which is what lets PostgreSQL use the index.
 *
 * A row whose folded columns are still null (written straight into the table, before the backfill
 * reached it) is searched by its raw title and summary: case-insensitive, though not accent-folded.
 */
export function searchDocument(columns: SearchSources): SQL {
  return sql`(setweight(to_tsvector('simple'::regconfig, coalesce(${columns.titleFolded}, ${columns.title})), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(${columns.summaryFolded}, ${columns.summary})), 'B'))`;
}
