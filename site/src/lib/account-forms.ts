import { isSameOriginRequest } from "../middleware/cross-site-forms";

/**
 * The pages a mailed link opens (/account/verify-email, /account/confirm-email,
 * /account/reset-password) carry a token in their address and spend it with a form post.
 */

/**
 * Such a post must come from a page of this site: another site's page could otherwise submit the
 * form on a visitor's behalf (spending their link, setting a password). The middleware refuses
 * such posts already; the page checks again, by the same rule, before it spends anything. These
 * pages' `no-referrer` policy makes the browser send `Origin: null`, so the rule falls back to
 * `Sec-Fetch-Site` (middleware/cross-site-forms.ts).
 */
export function isSameOriginPost(request: Request): boolean {
  return request.method === "POST" && isSameOriginRequest(request);
}

/**
 * Pages that carry a token in their address: never cached, and the address never sent on as a
 * Referer to whatever the page links to.
 */
export function protectTokenPage(response: { headers: Headers }): void {
  response.headers.set("cache-control", "no-store");
  response.headers.set("referrer-policy", "no-referrer");
}
