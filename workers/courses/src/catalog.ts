import { and, desc, eq, getTableColumns, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { ProblemError } from "@platform/http-kit";
import { decodeCatalogCursor, encodeCatalogCursor, type CatalogOrder, type CatalogPosition } from "./catalog-cursor.ts";
import { courses, enrollments } from "./db/schema.ts";
import type { Queryable } from "./db/database.ts";
import { searchDocument } from "./db/search-document.ts";
import { activeGrant, enrolledLearners } from "./enrolled-learners.ts";
import type { Course } from "./permissions.ts";
import { prefixQuery, searchWords } from "./search-words.ts";

/** The catalog's query string, as the route validated it. */
export interface CatalogQuery extends CatalogFilters {
  readonly cursor?: string;
  readonly limit: number;
  readonly q?: string;
  readonly sort?: CatalogOrder;
}

export interface CatalogFilters {
  readonly language?: string;
  readonly level?: "beginner" | "intermediate" | "advanced";
  readonly price?: "free" | "paid";
  /**
   * A price range: courses priced in `currency` from `minPrice` to `maxPrice` (minor units, both
   * ends included, either open). A free course costs 0 in any currency, so it is in a range that
   * starts at 0 unless `price=paid` leaves it out. The route takes either bound only with a currency.
   */
  readonly currency?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
}

/** What a catalog read asks for, every choice made: the words, the order, where the last page ended. */
export interface CatalogRequest extends CatalogFilters {
  /** Folded search words (search-words.ts); none: no search. */
  readonly words: readonly string[];
  readonly order: CatalogOrder;
  readonly limit: number;
  readonly after?: CatalogPosition;
}

export interface CatalogPage {
  readonly items: Course[];
  readonly nextCursor: string | null;
}

const invalid = (path: string, message: string) =>
  new ProblemError("validation-failed", { detail: "One or more fields are invalid.", errors: [{ path, message }] });

/**
 * The request a query makes. A search is ordered by relevance unless a `sort` says otherwise; without
 * words there is nothing to rank by, so it is newest first. 400 for a `q` with no word in it, or a
 * cursor this API did not give out for this order.
 */
export function catalogRequest(query: CatalogQuery): CatalogRequest {
  const { cursor, q, sort, ...filters } = query;
  const words = q === undefined ? [] : searchWords(q);
  if (q !== undefined && words.length === 0) throw invalid("query.q", "has no letter or digit to search for");
  const asked = sort ?? (words.length > 0 ? "relevance" : "newest");
  const order = asked === "relevance" && words.length === 0 ? "newest" : asked;
  const after = cursor === undefined ? undefined : decodeCatalogCursor(cursor, order);
  if (cursor !== undefined && !after) {
    throw invalid("query.cursor", `not a cursor this API gave out for the ${order} order`);
  }
  return { ...filters, words, order, ...(after && { after }) };
}

function priceConditions(filters: CatalogFilters): SQL[] {
  if (filters.price === "free") return [isNull(courses.priceAmount)];
  const paidOnly = filters.price === "paid";
  if (filters.currency === undefined) return paidOnly ? [isNotNull(courses.priceAmount)] : [];
  const minimum = filters.minPrice ?? 0;
  const inRange = and(
    eq(courses.priceCurrency, filters.currency),
    gte(courses.priceAmount, minimum),
    filters.maxPrice === undefined ? undefined : lte(courses.priceAmount, filters.maxPrice),
  );
  const withFree = !paidOnly && minimum === 0 ? or(isNull(courses.priceAmount), inRange) : inRange;
  return withFree ? [withFree] : [];
}

function filterConditions(request: CatalogRequest): SQL[] {
  return [
    eq(courses.status, "published"),
    ...(request.language ? [eq(courses.language, request.language)] : []),
    ...(request.level ? [eq(courses.level, request.level)] : []),
    ...priceConditions(request),
    // Every word as a prefix of a word in the title or summary, through the GIN index on the same expression.
    ...(request.words.length > 0
      ? [sql`${searchDocument(courses)} @@ to_tsquery('simple', ${prefixQuery(request.words)})`]
      : []),
  ];
}

/** A course's learners, counted beside it (one lateral subquery per candidate course, on the partial index). */
function learnersOf(db: Queryable) {
  return db
    .select({ count: enrolledLearners().as("learners") })
    .from(enrollments)
    .where(and(eq(enrollments.courseId, courses.id), activeGrant()))
    .as("popularity");
}

/**
 * The rank a page is ordered by before (publishedAt, id): by relevance, the tier (0 when every
 * word is in the title, 1 when one is only in the summary), lowest first; by popularity, the
 * learner count, highest first.
 */
function rankOf(request: CatalogRequest, learners: ReturnType<typeof learnersOf>): SQL<number> | undefined {
  if (request.order === "relevance") {
    const inTitle = prefixQuery(request.words, "A");
    return sql<number>`(case when ${searchDocument(courses)} @@ to_tsquery('simple', ${inTitle}) then 0 else 1 end)`;
  }
  if (request.order === "popular") return sql<number>`${learners.count}`;
  return undefined;
}

/** The rows after the cursor's position, in the page's order. */
function afterPosition(position: CatalogPosition, rank: SQL<number> | undefined): SQL | undefined {
  const at = sql`${position.publishedAt}::timestamptz`;
  const older = or(lt(courses.publishedAt, at), and(eq(courses.publishedAt, at), lt(courses.id, position.id)));
  if (position.order === "newest" || rank === undefined) return older;
  const behind = position.order === "relevance" ? gt(rank, position.rank) : lt(rank, position.rank);
  return or(behind, and(eq(rank, position.rank), older));
}

/**
 * Published courses, filtered, in the request's order, one page after the cursor: one statement.
 * Filters use the partial indexes on published courses, the words the GIN index on the search
 * document; the popular order counts each candidate's learners beside it.
 */
export async function readCatalog(db: Queryable, request: CatalogRequest): Promise<CatalogPage> {
  const learners = learnersOf(db);
  const rank = rankOf(request, learners);
  const conditions = filterConditions(request);
  const after = request.after && afterPosition(request.after, rank);
  if (after) conditions.push(after);
  const base = db
    .select({ course: getTableColumns(courses), rank: rank ?? sql<number>`0` })
    .from(courses)
    .$dynamic();
  const query = request.order === "popular" ? base.crossJoinLateral(learners) : base;
  const rows = await query
    .where(and(...conditions))
    .orderBy(
      ...(rank === undefined ? [] : [request.order === "relevance" ? rank : desc(rank)]),
      desc(courses.publishedAt),
      desc(courses.id),
    )
    .limit(request.limit + 1);
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.course),
    nextCursor: rows.length > request.limit && last ? cursorAt(request.order, last) : null,
  };
}

function cursorAt(order: CatalogOrder, { course, rank }: { course: Course; rank: number }): string {
  if (!course.publishedAt) throw new Error(`course ${course.id} is not published`);
  const publishedAt = course.publishedAt.toISOString();
  return encodeCatalogCursor(
    order === "newest"
      ? { order, publishedAt, id: course.id }
      : { order, rank: Number(rank), publishedAt, id: course.id },
  );
}
