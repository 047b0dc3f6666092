import { callApi, type ApiCaller } from "./api";

/** One in-app notice as `GET /api/notifications` answers it (docs/notifications-inbox.md). */
export interface Notice {
  readonly id: string;
  readonly category: string;
  readonly template: string;
  readonly title: string;
  readonly body: string;
  readonly link: string | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export interface Inbox {
  readonly items: readonly Notice[];
  readonly nextCursor: string | null;
  /** Every unread notice, whatever the page. */
  readonly unreadCount: number;
}

/**
 * Where a notice leads, as a path on this site. Notices link to the platform's own pages with
 * absolute URLs on its public origin; the visitor may be on another name for the same site (a
 * preview, 127.0.0.1 rather than localhost), so only the path is kept. Anything that is not an
 * http(s) URL or a path gets no link at all: a notice can never carry `javascript:` into a page.
 */
export function noticeHref(link: string | null): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link, "https://site.invalid");
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return undefined;
  }
}

/**
 * The header's count is asked once per page: a page that loaded the inbox anyway tells it the
 * count (`rememberUnreadCount`) and the header does not ask again.
 */
const unreadByRequest = new WeakMap<Request, Promise<number | undefined>>();

export function rememberUnreadCount(request: Request, count: number): void {
  unreadByRequest.set(request, Promise.resolve(count));
}

/**
 * How many notices the signed-in visitor has not read, or undefined when the inbox cannot say
 * right now (the header then shows no number rather than a wrong one). The inbox's smallest page
 * carries the count; a short deadline keeps a slow inbox from holding up every page's header.
 */
export function unreadCount(caller: ApiCaller): Promise<number | undefined> {
  const known = unreadByRequest.get(caller.request);
  if (known) return known;
  const asked = callApi<Inbox>(caller, "/api/notifications?limit=1&unread=true", { timeoutMs: 1500 }).then((answer) =>
    answer.ok ? answer.data.unreadCount : undefined,
  );
  unreadByRequest.set(caller.request, asked);
  return asked;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A notice id from a form, fit to go into an API path. */
export function noticeId(value: string): string | undefined {
  return UUID.test(value) ? value.toLowerCase() : undefined;
}
