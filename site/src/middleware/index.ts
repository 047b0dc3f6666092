import { sequence } from "astro:middleware";
import { refuseCrossSiteForms } from "./cross-site-forms";
import { setPageCaching } from "./page-caching";
import { addSecurityHeaders } from "./security-headers";
import { resolveSession } from "./session";

/** Every request: security headers on whatever answers, cross-site posts refused, then the session. */
export const onRequest = sequence(addSecurityHeaders, refuseCrossSiteForms, resolveSession, setPageCaching);
