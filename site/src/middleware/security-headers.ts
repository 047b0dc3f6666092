import type { MiddlewareHandler } from "astro";

/**
 * The Content-Security-Policy of every page. No inline script runs at all: every script is a
 * file Astro bundled under /_astro/ (astro.config.mjs keeps them out of the HTML), so
 * `script-src 'self'` needs neither a nonce nor a hash. Styles likewise. Media and the live socket
 * are same-origin (the API is behind the same gateway); the only other place a form may lead is
 * Stripe's hosted checkout.
 */
export function contentSecurityPolicy(secure: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
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
export function securityHeaders(secure: boolean): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(secure),
    // Two years, subdomains too: the platform is HTTPS-only in production. Browsers ignore it over http.
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
  };
}

export const addSecurityHeaders: MiddlewareHandler = async (context, next) => {
  const response = await next();
  const secure = context.url.protocol === "https:";
  for (const [name, value] of Object.entries(securityHeaders(secure))) {
    // A page may have set a stricter one (a token page's no-referrer): keep it.
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
};
