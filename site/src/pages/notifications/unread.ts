import type { APIRoute } from "astro";
import { unreadCount } from "../../lib/notifications";

/**
 * The unread count for the header's badge script (scripts/notifications-badge.ts), which cannot
 * call the API itself (the browser holds no token). Personal: never cached.
 */
export const GET: APIRoute = async (context) => {
  const headers = { "cache-control": "private, no-store" };
  if (!context.locals.session) {
    return new Response(JSON.stringify({ type: "about:blank", status: 401, title: "Unauthorized" }), {
      status: 401,
      headers: { ...headers, "content-type": "application/problem+json" },
    });
  }
  const count = await unreadCount(context);
  if (count === undefined) {
    return new Response(JSON.stringify({ type: "about:blank", status: 503, title: "Service Unavailable" }), {
      status: 503,
      headers: { ...headers, "content-type": "application/problem+json" },
    });
  }
  return new Response(JSON.stringify({ unreadCount: count }), {
    headers: { ...headers, "content-type": "application/json" },
  });
};
