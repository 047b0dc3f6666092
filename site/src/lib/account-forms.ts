/**
 * The pages a mailed link opens (/account/verify-email, /account/confirm-email,
 * /account/reset-password) carry a token in their address and spend it with a form post.
 */

/**
 * Such a post must come from a page of this site: another site's page could otherwise submit the
 * form on a visitor's behalf (spending their link, setting a password). The middleware refuses a
 * post whose `Origin` is another site's; this page-level check also refuses one with no `Origin`
 * at all, which a browser always sends with a form post.
 */
export function isSameOriginPost(request: Request): boolean {
  return request.method === "POST" && request.headers.get("origin") === new URL(request.url).origin;
}

/**
 * Pages that carry a token in their address: never cached, and the address never sent on as a
 * Referer to whatever the page links to.
 */
export function protectTokenPage(response: { headers: Headers }): void {
  response.headers.set("cache-control", "no-store");
  response.headers.set("referrer-policy", "no-referrer");
}
