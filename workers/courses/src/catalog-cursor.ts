import { decodeKeysetCursor, encodeKeysetCursor } from "@platform/http-kit";

/**
 * The orders the catalog is read in: newest first; by relevance to the search's words (courses
 * with every word in the title first, then newest first); by popularity (most learners first,
 * then newest first).
 */
export type CatalogOrder = "newest" | "relevance" | "popular";

/**
 * Where a catalog page ended: the last course's place in the page's order. Newest first, its
 * (publishedAt, id); by relevance or popularity, its rank (tier or learner count) before them.
 */
export type CatalogPosition =
  | { readonly order: "newest"; readonly publishedAt: string; readonly id: string }
  | {
      readonly order: "relevance" | "popular";
      readonly rank: number;
      readonly publishedAt: string;
      readonly id: string;
    };

const PREFIX = { relevance: "r", popular: "p" } as const;
const RANKED = /^([rp])(0|[1-9]\d{0,9})\.([A-Za-z0-9+/_-]+)$/;
/** A rank is a tier (0 or 1) or a learner count: PostgreSQL's integer holds any of them. */
const LARGEST_RANK = 2 ** 31 - 1;

/**
 * Newest first, the cursor is the keyset cursor every catalog cursor was before other orders
 * existed, so one a client still holds keeps working. A ranked cursor is its order's letter and
 * the rank, then that keyset cursor: `p12.MjAy…`. Base64 has no dot, so the two never mix.
 */
export function encodeCatalogCursor(position: CatalogPosition): string {
  const keyset = encodeKeysetCursor(position.publishedAt, position.id);
  return position.order === "newest" ? keyset : `${PREFIX[position.order]}${position.rank}.${keyset}`;
}

/**
 * Only a cursor `encodeCatalogCursor` wrote for this order; anything else (tampered, or given out
 * for another order) is `undefined`, and the route answers 400.
 */
export function decodeCatalogCursor(cursor: string, order: CatalogOrder): CatalogPosition | undefined {
  if (order === "newest") {
    const keyset = decodeKeysetCursor(cursor);
    return keyset && { order, publishedAt: keyset.at, id: keyset.id };
  }
  const [, prefix, rankText, rest] = RANKED.exec(cursor) ?? [];
  const rank = Number(rankText);
  if (prefix !== PREFIX[order] || rest === undefined || rank > LARGEST_RANK) return undefined;
  const keyset = decodeKeysetCursor(rest);
  return keyset && { order, rank, publishedAt: keyset.at, id: keyset.id };
}
