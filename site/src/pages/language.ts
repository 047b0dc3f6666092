import type { APIRoute } from "astro";
import { supportedLocale } from "../i18n/locales";
import { callApi } from "../lib/api";
import { postedForm, formText } from "../lib/forms";
import { safeReturnTo } from "../lib/return-to";
import { readProfile, storeProfile } from "../lib/session-cookies";

/**
 * The footer's language switch. A signed-in visitor's choice goes into their profile (so mail
 * follows it too); a signed-out visitor's into a cookie.
 */
export const POST: APIRoute = async (context) => {
  const form = await postedForm(context.request);
  const locale = supportedLocale(form ? formText(form, "locale") : "");
  const back = safeReturnTo(form ? formText(form, "returnTo") : "");
  if (!locale) return context.redirect(back, 303);
  const session = context.locals.session;
  if (session) {
    const saved = await callApi(context, "/api/users/me", { method: "PATCH", json: { locale } });
    const profile = readProfile(context.cookies);
    if (saved.ok && profile) storeProfile(context.cookies, { ...profile, locale });
  }
  context.cookies.set("el_locale", locale, {
    httpOnly: true,
    secure: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
  return context.redirect(back, 303);
};

export const GET: APIRoute = () => new Response(null, { status: 405, headers: { allow: "POST" } });
