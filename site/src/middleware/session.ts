import type { MiddlewareHandler } from "astro";
import { chooseLocale } from "../i18n/locales";
import { currentSession } from "../lib/session";

/** Who is signed in (refreshing their tokens when due) and which language the page speaks. */
export const resolveSession: MiddlewareHandler = async (context, next) => {
  const session = await currentSession(context);
  context.locals.session = session;
  const chosen = context.cookies.get("el_locale")?.value;
  context.locals.locale = chooseLocale(
    session?.profile?.locale ?? chosen,
    context.request.headers.get("accept-language"),
  );
  return next();
};
