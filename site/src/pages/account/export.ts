import type { APIRoute } from "astro";
import { signInAgain, signInFirst } from "../../lib/account-pages";
import { apiFetch } from "../../lib/api";

/** Gathering every service's part can take a moment longer than a page's call. */
const EXPORT_TIMEOUT_MS = 20_000;

/**
 * The visitor's data export as a download. The browser holds no token, so the site fetches
 * `GET /api/users/me/export` with the session's and passes the body through as it arrives (no
 * copy held in memory), as an attachment that no cache may keep. When the API cannot give a
 * complete export, the visitor is sent back to the page with a readable message instead of a file.
 */
export const GET: APIRoute = async (context) => {
  const session = context.locals.session;
  if (!session) return context.redirect(signInFirst(new URL("/account/data", context.url)), 303);
  let answer: Response;
  try {
    answer = await apiFetch(context.request, "/api/users/me/export", {
      headers: { authorization: `Bearer ${session.accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
    });
  } catch {
    return context.redirect("/account/data?exportFailed", 303);
  }
  if (!answer.ok || !answer.body) {
    await answer.body?.cancel();
    if (answer.status === 401) {
      const url = new URL("/account/data", context.url);
      return signInAgain({ cookies: context.cookies, url, redirect: (path, status) => context.redirect(path, status) });
    }
    return context.redirect("/account/data?exportFailed", 303);
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(answer.body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="edge-learning-data-${day}.json"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
};
