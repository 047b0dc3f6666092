import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ProblemError } from "@platform/http-kit";
import { defineRoute, documentByHand, problem, publicAccess } from "@platform/service-kit";
import type { NotificationsEnv } from "../env.ts";
import { CATEGORY_DESCRIPTIONS } from "../preferences/categories.ts";
import { changePreferences } from "../preferences/preferences.ts";
import { UNSUBSCRIBE_PATH } from "../unsubscribe/links.ts";
import { confirmPage, donePage, invalidLinkPage, PAGE_HEADERS } from "../unsubscribe/page.ts";
import { verifyUnsubscribeToken, type UnsubscribeClaims } from "../unsubscribe/token.ts";

/**
 * One-click unsubscribe (RFC 8058). The link in a mail's `List-Unsubscribe` header and footer carries a
 * signed token naming one user and one category; following it needs no session. GET shows a page with a
 * button and changes nothing (link scanners and previews fetch links); POST turns that category's email off
 * for that user: a mail client's one-click POST (`List-Unsubscribe=One-Click`) gets 204, the page's button
 * a confirmation page.
 */
const byLink = publicAccess(
  "followed from an email without signing in: the signed token in the link names the one user and category it unsubscribes",
);

const tokenQuery = z.object({
  token: z.string().openapi({ description: "The signed token from the email's unsubscribe link" }),
});

const html = { "text/html": { schema: z.string() } };

const show = defineRoute(byLink, {
  method: "get",
  operationId: "showUnsubscribePage",
  path: UNSUBSCRIBE_PATH,
  summary: "The unsubscribe page of an email's link: says which emails it stops, with a button (changes nothing)",
  tags: ["notifications"],
  request: { query: tokenQuery },
  responses: {
    200: { description: "An HTML page with an Unsubscribe button", content: html },
    400: problem("A tampered or incomplete token (an HTML page when the request accepts HTML)"),
  },
});

const unsubscribe = defineRoute(byLink, {
  method: "post",
  operationId: "unsubscribeFromEmail",
  path: UNSUBSCRIBE_PATH,
  summary: "Unsubscribe: turns the token's category of email off for the token's user (RFC 8058 one-click)",
  tags: ["notifications"],
  request: {
    query: tokenQuery,
    body: {
      required: false,
      content: {
        "application/x-www-form-urlencoded": {
          schema: z.object({ "List-Unsubscribe": z.literal("One-Click").optional() }),
        },
      },
    },
  },
  responses: {
    200: { description: "Unsubscribed (the page's button)", content: html },
    204: { description: "Unsubscribed (a mail client's one-click POST)" },
    400: problem("A tampered or incomplete token (an HTML page when the request accepts HTML)"),
  },
});

const wantsHtml = (c: Context) => (c.req.header("accept") ?? "").includes("text/html");

/** The token's user and category, or a 400: an HTML page for a browser, problem+json for anything else. */
async function claimsOf(c: Context<NotificationsEnv>): Promise<UnsubscribeClaims | Response> {
  const token = c.req.query("token") ?? "";
  const claims = token ? await verifyUnsubscribeToken(c.env.UNSUBSCRIBE_SECRET, token) : undefined;
  if (claims) return claims;
  if (wantsHtml(c)) return c.html(invalidLinkPage(), 400, PAGE_HEADERS);
  // The token is a field of the request that failed its check: a validation failure, naming it.
  throw new ProblemError("validation-failed", {
    detail: "This unsubscribe link is incomplete or was changed; nothing was changed.",
    errors: [{ path: "query.token", message: "not a token this service issued" }],
  });
}

async function isOneClick(c: Context): Promise<boolean> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return false;
  try {
    return (await c.req.parseBody())["List-Unsubscribe"] === "One-Click";
  } catch {
    return false;
  }
}

export const unsubscribeRoutes = new OpenAPIHono<NotificationsEnv>();

// Registered by hand: the answers are HTML pages, and the POST reads a form body.
unsubscribeRoutes.get(UNSUBSCRIBE_PATH, documentByHand(unsubscribeRoutes, show), async (c) => {
  const claims = await claimsOf(c);
  if (claims instanceof Response) return claims;
  const action = `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(c.req.query("token") ?? "")}`;
  return c.html(confirmPage(CATEGORY_DESCRIPTIONS[claims.category], action), 200, PAGE_HEADERS);
});

unsubscribeRoutes.post(UNSUBSCRIBE_PATH, documentByHand(unsubscribeRoutes, unsubscribe), async (c) => {
  const claims = await claimsOf(c);
  if (claims instanceof Response) return claims;
  const oneClick = await isOneClick(c);
  await changePreferences(c.var.database().db, claims.userId, [
    { category: claims.category, channel: "email", enabled: false },
  ]);
  if (oneClick) return c.body(null, 204, { "cache-control": "no-store" });
  return c.html(donePage(CATEGORY_DESCRIPTIONS[claims.category]), 200, PAGE_HEADERS);
});
