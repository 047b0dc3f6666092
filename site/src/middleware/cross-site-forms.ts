import type { MiddlewareHandler } from "astro";
import { commonMessages } from "../i18n/messages/common";
import { chooseLocale } from "../i18n/locales";
import { messagesFor } from "../i18n/messages";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a state-changing request came from a page of this site. Browsers send `Origin` with a
 * POST, but as the string `null` from a page whose Referrer-Policy is `no-referrer` (the pages a
 * mailed token or a sign-in code opens): then, as when it is missing, the request is accepted only
 * when the browser itself says it is same-origin (`Sec-Fetch-Site`, which page scripts cannot
 * set). The session cookies are SameSite=Lax as well, so a cross-site post would arrive signed out
 * anyway: this check is the second lock, and it covers signed-out forms too (sign-in, sign-up),
 * which SameSite cannot.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== "null") return origin === new URL(request.url).origin;
  return request.headers.get("sec-fetch-site") === "same-origin";
}

export const refuseCrossSiteForms: MiddlewareHandler = async (context, next) => {
  if (isSameOriginRequest(context.request)) return next();
  const locale = chooseLocale(undefined, context.request.headers.get("accept-language"));
  const detail = messagesFor(locale, commonMessages).errors.crossSiteForm;
  return new Response(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail }), {
    status: 403,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
};
