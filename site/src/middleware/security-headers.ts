import type { MiddlewareHandler } from "astro";
import { env } from "cloudflare:workers";
import { securityHeaders, uploadOriginsFrom } from "./content-security-policy";

/** Only the studio uploads; every other page keeps `connect-src 'self'`. */
function isStudioPage(path: string): boolean {
  return path === "/studio" || path.startsWith("/studio/");
}

export const addSecurityHeaders: MiddlewareHandler = async (context, next) => {
  const response = await next();
  const secure = context.url.protocol === "https:";
  const uploadOrigins = isStudioPage(context.url.pathname) ? uploadOriginsFrom(env.UPLOAD_PART_ORIGINS) : [];
  for (const [name, value] of Object.entries(securityHeaders(secure, uploadOrigins))) {
    // A page may have set a stricter one (a token page's no-referrer): keep it.
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
};
