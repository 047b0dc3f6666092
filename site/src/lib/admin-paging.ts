import { hrefWith, uuidOf } from "./admin-pages";

/**
 * Paging through the API's cursor lists (forward only: `nextCursor`) with a way back. The
 * address carries the page's `cursor` and, in `trail`, the cursors of the pages before it
 * (the first page has none, so it is left out): "Previous" pops the trail's last, "Next" pushes
 * the current one. Other query parameters (the search, the filters) ride along unchanged.
 */
const MAX_TRAIL = 30;

export interface Paging {
  readonly cursor: string | undefined;
  readonly trail: readonly string[];
}

export function pagingOf(url: URL): Paging {
  const cursor = uuidOf(url.searchParams.get("cursor"));
  const trail = (url.searchParams.get("trail") ?? "")
    .split(",")
    .map((value) => uuidOf(value))
    .filter((value): value is string => value !== undefined)
    .slice(-MAX_TRAIL);
  return { cursor, trail: cursor ? trail : [] };
}

/** The API query's cursor part: `&cursor=…` or nothing. */
export const cursorQuery = (paging: Paging): string => (paging.cursor ? `&cursor=${paging.cursor}` : "");

export interface PagerLinks {
  readonly previous: string | undefined;
  readonly next: string | undefined;
}

export function pagerLinks(url: URL, paging: Paging, nextCursor: string | null | undefined): PagerLinks {
  const previousCursor = paging.trail.at(-1);
  const previous = paging.cursor
    ? hrefWith(url, { cursor: previousCursor, trail: paging.trail.slice(0, -1).join(",") || undefined })
    : undefined;
  const next = nextCursor
    ? hrefWith(url, {
        cursor: nextCursor,
        trail: (paging.cursor ? [...paging.trail, paging.cursor] : []).slice(-MAX_TRAIL).join(",") || undefined,
      })
    : undefined;
  return { previous, next };
}
