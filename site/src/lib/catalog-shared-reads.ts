import { callApi, type ApiCaller, type ApiResult } from "./api";

/**
 * A public API read a shared page was rendered from, and the `ETag` its answer carried. The site's
 * page cache (middleware/page-caching.ts) serves the kept page again only while every one of its
 * sources still answers with the same ETag: the API's own caches move on with every change to a
 * course (the courses worker's KV generations, bumped by its writes and events), so a page follows
 * them without the site knowing anything about courses.
 */
export interface SharedSource {
  readonly path: string;
  /** Null when the answer was not a 200 with an ETag: such a page cannot be kept. */
  readonly etag: string | null;
}

/** The sources of the page being rendered for each request (a request is rendered once). */
const sourcesByRequest = new WeakMap<Request, SharedSource[]>();

/**
 * Reads what is the same for every visitor (the catalog, a published course's page), anonymously
 * even when someone is signed in, and notes it as one of the page's sources.
 */
export async function sharedRead<T>(caller: ApiCaller, path: string): Promise<ApiResult<T>> {
  const result = await callApi<T>(caller, path, { anonymous: true });
  noteSource(caller.request, path, result);
  return result;
}

/** Notes an API answer a page used, whoever read it (a page read for a signed-in visitor is never kept anyway). */
export function noteSource(request: Request, path: string, result: ApiResult<unknown>): void {
  const etag = result.ok && result.status === 200 ? result.headers.get("etag") : null;
  const sources = sourcesByRequest.get(request) ?? [];
  sources.push({ path, etag });
  sourcesByRequest.set(request, sources);
}

/** What the page rendered for this request was read from (empty: nothing from the API). */
export function sourcesOf(request: Request): readonly SharedSource[] {
  return sourcesByRequest.get(request) ?? [];
}
