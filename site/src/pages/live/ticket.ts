import type { APIRoute } from "astro";
import { callApi } from "../../lib/api";

interface LiveTicket {
  readonly ticket: string;
  readonly expiresAt: string;
  readonly url: string;
}

/**
 * A single-use ticket for the live socket, for the page's script: the browser holds no access
 * token, so the site asks the gateway for one with the session's. The ticket lives seconds and
 * opens one socket (docs/live.md). Same-origin posts only (the middleware refuses others).
 */
export const POST: APIRoute = async (context) => {
  if (!context.locals.session) return problem(401, "Sign in to get live updates.");
  const answer = await callApi<LiveTicket>(context, "/api/live/ticket", { method: "POST" });
  if (!answer.ok) return problem(answer.status === 401 ? 401 : 503, "Live updates are not available right now.");
  return new Response(JSON.stringify({ url: answer.data.url, expiresAt: answer.data.expiresAt }), {
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
};

export const GET: APIRoute = () => new Response(null, { status: 405, headers: { allow: "POST" } });

function problem(status: number, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}
