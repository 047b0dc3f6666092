/// <reference types="astro/client" />
import type { Locale } from "./i18n/locales";
import type { Session } from "./lib/session";

declare global {
  namespace App {
    interface Locals {
      /** The signed-in visitor, or null (middleware/session.ts). */
      session: Session | null;
      /** The interface language (middleware/session.ts). */
      locale: Locale;
      /**
       * Set by a page whose HTML is the same for every signed-out visitor: it may then be cached at
       * the edge (middleware/page-caching.ts). Pages that leave it unset are `private, no-store`.
       */
      sharedCache?: { readonly sMaxAge: number; readonly staleWhileRevalidate: number };
    }
  }
}
