import type { NotificationsBindings } from "../env.ts";
import type { Category } from "../preferences/categories.ts";
import { issueUnsubscribeToken, UnsubscribeTokenError } from "./token.ts";

/** The public path the links point at (served by src/routes/unsubscribe.ts, through the gateway). */
export const UNSUBSCRIBE_PATH = "/api/notifications/unsubscribe";

/**
 * The absolute one-click unsubscribe link for this user's mail of this category, for `List-Unsubscribe`
 * and the mail's footer. It works without signing in and only for that user and category. Throws
 * `UnsubscribeTokenError` for the security category (never unsubscribable), or when PUBLIC_ORIGIN or
 * UNSUBSCRIBE_SECRET is missing: a mail must not go out with a link that cannot work.
 */
export async function unsubscribeUrl(
  env: Pick<NotificationsBindings, "PUBLIC_ORIGIN" | "UNSUBSCRIBE_SECRET">,
  userId: string,
  category: Category,
): Promise<string> {
  if (!env.PUBLIC_ORIGIN) throw new UnsubscribeTokenError("PUBLIC_ORIGIN must be set for unsubscribe links");
  const token = await issueUnsubscribeToken(env.UNSUBSCRIBE_SECRET, userId, category);
  const url = new URL(UNSUBSCRIBE_PATH, env.PUBLIC_ORIGIN);
  url.searchParams.set("token", token);
  return url.toString();
}

/** RFC 2369 + RFC 8058: what lets a mail client offer "Unsubscribe" and do it with one POST. */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  return {
    "List-Unsubscribe": `<${url}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
