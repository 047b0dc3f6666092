import { CURRENCIES, MAXIMUM_AMOUNT_MINOR, isCurrencyCode } from "@platform/contracts";
import { LEVELS, type Level } from "./catalog";

/**
 * The catalog page's address is its state: the search, the filters, the order and where in the
 * list the visitor is. It is read here, checked, and turned into the API's query; prices are typed
 * as people read them (`12.50`) and sent in minor units.
 *
 * The API pages forward only (`nextCursor`), so "Previous" needs the cursors of the pages before:
 * they travel in `trail`, most recent last. A visitor paging back from far away only loses the
 * oldest steps (the first page is always reachable).
 */

export type PriceFilter = "free" | "paid";
export type Sort = "relevance" | "newest" | "popular";
export const SORTS: readonly Sort[] = ["relevance", "newest", "popular"];

/** Courses per catalog page. */
export const PAGE_SIZE = 12;
/** Cursors kept for "Previous"; a cursor is at most 200 characters, so the address stays well under 8 KB. */
const TRAIL_LIMIT = 30;
const CURSOR = /^[A-Za-z0-9+/_.-]{1,200}$/;
/** What the catalog accepts as a course language (`en`, `pt-BR`). */
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

/** The languages offered in the filter (others still work from an address). */
export const LANGUAGE_CHOICES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl"] as const;
/** The price range's currency when the visitor has not chosen one: the platform's demo prices are in euros. */
export const DEFAULT_CURRENCY = "EUR";

export interface CatalogFilters {
  readonly q: string;
  readonly level: Level | "";
  readonly language: string;
  readonly price: PriceFilter | "";
  readonly currency: string;
  /** As typed, in major units. */
  readonly minPrice: string;
  readonly maxPrice: string;
  readonly sort: Sort | "";
}

export type FilterProblem = "minPrice" | "maxPrice" | "range" | "freeWithRange" | "q";

export interface CatalogState {
  readonly filters: CatalogFilters;
  /** Where this page starts (undefined: the first page). */
  readonly cursor: string | undefined;
  /** The cursors of the pages before this one, oldest first (the first page has none). */
  readonly trail: readonly string[];
  /** What is wrong with the filters; the page then shows them with the problems and no list. */
  readonly problems: ReadonlyMap<keyof CatalogFilters | "range", FilterProblem>;
}

const text = (params: URLSearchParams, name: string, max = 100) => (params.get(name) ?? "").trim().slice(0, max);

function oneOf<T extends string>(value: string, choices: readonly T[]): T | "" {
  return (choices as readonly string[]).includes(value) ? (value as T) : "";
}

/** An amount typed in major units (`12.5`, `12,50`) in minor units of the currency; undefined when it is not one. */
export function toMinorUnits(typed: string, currency: string): number | undefined {
  const normalised = typed.trim().replace(",", ".");
  if (!/^\d{1,9}(?:\.\d{1,2})?$/.test(normalised)) return undefined;
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2;
  const minor = Math.round(Number(normalised) * 10 ** exponent);
  return minor <= MAXIMUM_AMOUNT_MINOR ? minor : undefined;
}

export function readCatalogState(params: URLSearchParams): CatalogState {
  const currency = text(params, "currency", 3).toUpperCase();
  const filters: CatalogFilters = {
    q: text(params, "q"),
    level: oneOf(text(params, "level"), LEVELS),
    language: LANGUAGE.test(text(params, "language", 6)) ? text(params, "language", 6) : "",
    price: oneOf(text(params, "price"), ["free", "paid"] as const),
    currency: isCurrencyCode(currency) ? currency : DEFAULT_CURRENCY,
    minPrice: text(params, "min", 20),
    maxPrice: text(params, "max", 20),
    sort: oneOf(text(params, "sort"), SORTS),
  };
  const problems = new Map<keyof CatalogFilters | "range", FilterProblem>();
  const min = filters.minPrice ? toMinorUnits(filters.minPrice, filters.currency) : undefined;
  const max = filters.maxPrice ? toMinorUnits(filters.maxPrice, filters.currency) : undefined;
  if (filters.minPrice && min === undefined) problems.set("minPrice", "minPrice");
  if (filters.maxPrice && max === undefined) problems.set("maxPrice", "maxPrice");
  if (min !== undefined && max !== undefined && min > max) problems.set("range", "range");
  if (filters.price === "free" && (filters.minPrice || filters.maxPrice)) problems.set("price", "freeWithRange");
  const cursor = params.get("cursor") ?? "";
  const trail = (params.get("trail") ?? "").split(",").filter((step) => CURSOR.test(step));
  return {
    filters,
    cursor: CURSOR.test(cursor) ? cursor : undefined,
    trail: trail.slice(-TRAIL_LIMIT),
    problems,
  };
}

/** The API query for a state without problems (`GET /api/courses`). */
export function apiQuery(state: CatalogState, limit = PAGE_SIZE): URLSearchParams {
  const { filters } = state;
  const query = new URLSearchParams();
  if (filters.q) query.set("q", filters.q);
  if (filters.level) query.set("level", filters.level);
  if (filters.language) query.set("language", filters.language);
  if (filters.price) query.set("price", filters.price);
  const min = filters.minPrice ? toMinorUnits(filters.minPrice, filters.currency) : undefined;
  const max = filters.maxPrice ? toMinorUnits(filters.maxPrice, filters.currency) : undefined;
  if (min !== undefined || max !== undefined) query.set("currency", filters.currency);
  if (min !== undefined) query.set("minPrice", String(min));
  if (max !== undefined) query.set("maxPrice", String(max));
  // "Best match" without words is the newest first, which the API does by itself.
  const sort = effectiveSort(filters);
  if (sort) query.set("sort", sort);
  if (state.cursor) query.set("cursor", state.cursor);
  query.set("limit", String(limit));
  return query;
}

/** The catalog page's own address for these filters (no paging): what the form submits, in the same order. */
export function filterParams(filters: CatalogFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.level) params.set("level", filters.level);
  if (filters.language) params.set("language", filters.language);
  if (filters.price) params.set("price", filters.price);
  if (filters.minPrice || filters.maxPrice) {
    if (filters.minPrice) params.set("min", filters.minPrice);
    if (filters.maxPrice) params.set("max", filters.maxPrice);
    params.set("currency", filters.currency);
  }
  const sort = effectiveSort(filters);
  if (sort) params.set("sort", sort);
  return params;
}

/**
 * The order to ask for, or "" for the default. The default ("Recommended", the form's first
 * choice, so a search typed in the form is ranked) is by relevance to the words, and newest first
 * without words: the API's own default. So only "popular", and "newest" for a search, are written.
 */
export function effectiveSort(filters: CatalogFilters): Sort | "" {
  if (filters.sort === "popular") return "popular";
  if (filters.sort === "newest" && filters.q) return "newest";
  return "";
}

/**
 * The one address of this list and page: no empty fields, no default order, the currency only with
 * a price range, the query in a fixed order. The page redirects other spellings here.
 */
export function canonicalCatalogHref(state: Pick<CatalogState, "filters" | "cursor" | "trail">): string {
  const params = filterParams(state.filters);
  if (state.cursor) {
    params.set("cursor", state.cursor);
    if (state.trail.length > 0) params.set("trail", state.trail.join(","));
  }
  return catalogHref(params);
}

function catalogHref(params: URLSearchParams): string {
  const search = params.toString();
  return search ? `/courses?${search}` : "/courses";
}

/** The next page's address: this page's cursor joins the trail. */
export function nextPageHref(state: CatalogState, nextCursor: string): string {
  const params = filterParams(state.filters);
  params.set("cursor", nextCursor);
  const trail = state.cursor ? [...state.trail, state.cursor] : [];
  if (trail.length > 0) params.set("trail", trail.slice(-TRAIL_LIMIT).join(","));
  return catalogHref(params);
}

/** The previous page's address, or undefined on the first page. */
export function previousPageHref(state: CatalogState): string | undefined {
  if (!state.cursor) return undefined;
  const params = filterParams(state.filters);
  const previous = state.trail.at(-1);
  if (previous) {
    params.set("cursor", previous);
    const earlier = state.trail.slice(0, -1);
    if (earlier.length > 0) params.set("trail", earlier.join(","));
  }
  return catalogHref(params);
}

/** Whether the visitor narrowed the list at all (the empty state then offers to clear the filters). */
export function isFiltered(filters: CatalogFilters): boolean {
  return Boolean(
    filters.q || filters.level || filters.language || filters.price || filters.minPrice || filters.maxPrice,
  );
}

/** The page number shown beside the pager: one more than the pages behind. */
export function pageNumber(state: CatalogState): number {
  return state.cursor ? state.trail.length + 2 : 1;
}
