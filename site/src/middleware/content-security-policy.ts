/**
 * The Content-Security-Policy of every page. No inline script runs at all: every script is a
 * file Astro bundled under /_astro/ (astro.config.mjs keeps them out of the HTML), so
 * `script-src 'self'` needs neither a nonce nor a hash. Styles likewise. Media and the live socket
 * are same-origin (the API is behind the same gateway); the only other place a form may lead is
 * Stripe's hosted checkout. The one other origin a page may connect to is object storage, for the
 * studio's uploader when the API hands out presigned part URLs (`uploadOrigins`).
 */
export function contentSecurityPolicy(secure: boolean, uploadOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...uploadOrigins].join(" "),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self' https://checkout.stripe.com",
    "frame-ancestors 'none'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Headers every page carries (static files get the same from public/_headers). */
export function securityHeaders(secure: boolean, uploadOrigins: readonly string[] = []): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(secure, uploadOrigins),
    // Two years, subdomains too: the platform is HTTPS-only in production. Browsers ignore it over http.
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
  };
}

/**
 * The site var `UPLOAD_PART_ORIGINS`: the origins the browser PUTs presigned parts to (the R2
 * endpoint, `https://<account>.r2.cloudflarestorage.com`, or the `R2_S3_ENDPOINT` the courses
 * worker is given), separated by spaces or commas. Only https origins are taken, each reduced to
 * its origin, so a path, a wildcard, a CSP keyword or a `;` in the var can never widen the policy.
 */
export function uploadOriginsFrom(value: unknown): string[] {
  if (typeof value !== "string") return [];
  const origins = new Set<string>();
  for (const entry of value.split(/[\s,]+/)) {
    if (!URL.canParse(entry)) continue;
    const url = new URL(entry);
    // A WHATWG host may hold `;` or `'`, which would end the directive: only DNS names are taken.
    const plainHost = /^[a-z0-9.-]+$/i.test(url.hostname);
    if (url.protocol === "https:" && plainHost && url.username === "" && url.password === "") origins.add(url.origin);
  }
  return [...origins];
}
