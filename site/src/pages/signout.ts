import type { APIRoute } from "astro";
import { callApi } from "../lib/api";
import { REFRESH_COOKIE, clearSession } from "../lib/session-cookies";

/**
 * Ends the visitor's session: the auth worker revokes the refresh token's session (its access
 * tokens stop working within seconds, docs/auth.md), and the cookies go. A POST only (the header's
 * form); the middleware has already refused one from another site.
 */
export const POST: APIRoute = async (context) => {
  const refreshToken = context.cookies.get(REFRESH_COOKIE)?.value;
  if (refreshToken) await callApi(context, "/api/auth/logout", { json: { refreshToken }, anonymous: true });
  clearSession(context.cookies);
  return context.redirect("/", 303);
};

export const GET: APIRoute = () => new Response(null, { status: 405, headers: { allow: "POST" } });
