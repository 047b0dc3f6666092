import type { ApiCaller, ApiResult } from "./api";
import { sharedRead } from "./catalog-shared-reads";

/** A price as the API answers it: integer minor units and an ISO 4217 currency. */
export interface Price {
  readonly amountMinor: number;
  readonly currency: string;
}

export type Level = "beginner" | "intermediate" | "advanced";
export const LEVELS: readonly Level[] = ["beginner", "intermediate", "advanced"];

/** A course as the courses API answers it (`GET /api/courses`, `GET /api/courses/by-slug/{slug}`). */
export interface Course {
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  /** The description rendered to sanitised HTML by the API when the author wrote it. */
  readonly descriptionHtml: string;
  readonly language: string;
  readonly level: Level;
  readonly coverImageUrl: string | null;
  /** Null: free. */
  readonly price: Price | null;
  readonly status: "draft" | "published" | "archived";
  readonly authorId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly publishedAt: string | null;
}

export interface CatalogPage {
  readonly items: readonly Course[];
  readonly nextCursor: string | null;
}

/**
 * A page of the catalog (`GET /api/courses` with the query given), read as every visitor sees it
 * and noted as a source of the page being rendered (the site's page cache confirms it later).
 */
export function readCatalog(caller: ApiCaller, query: URLSearchParams): Promise<ApiResult<CatalogPage>> {
  const search = query.toString();
  return sharedRead<CatalogPage>(caller, `/api/courses${search ? `?${search}` : ""}`);
}

/** The home page's rows: a few courses in one order. */
export function readCourseRow(
  caller: ApiCaller,
  sort: "newest" | "popular",
  limit: number,
): Promise<ApiResult<CatalogPage>> {
  return readCatalog(caller, new URLSearchParams({ sort, limit: String(limit) }));
}
