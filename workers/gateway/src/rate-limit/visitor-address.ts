/**
 * The header the site puts its visitor's address in when it calls the API. Read only by the
 * `SiteApi` entrypoint (site-entrypoint.ts), which nothing on the internet can reach (only the
 * site's service binding): on the public entrypoint it means nothing, and it is never forwarded
 * (an `x-platform-` header).
 */
export const VISITOR_ADDRESS_HEADER = "x-platform-visitor-address";

/**
 * The site's server-side API call, as the visitor's own: the visitor's address becomes the
 * request's `cf-connecting-ip`, so the call spends that visitor's rate-limit budget. Without
 * it, every page view's calls would share one bucket (in production the address of Cloudflare's
 * Workers egress, which one busy page could exhaust for everyone). No address given: the
 * header-less bucket (client-key.ts), never one the caller could choose.
 */
export function asVisitorRequest(request: Request): Request {
  const headers = new Headers(request.headers);
  const visitor = headers.get(VISITOR_ADDRESS_HEADER)?.trim();
  headers.delete(VISITOR_ADDRESS_HEADER);
  headers.delete("cf-connecting-ip");
  if (visitor) headers.set("cf-connecting-ip", visitor);
  return new Request(request, { headers });
}
