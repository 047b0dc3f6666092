import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import type { UsersRpc } from "@platform/contracts";
import { logLine } from "@platform/http-kit";
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE } from "./consumer/addressee.ts";
import type { Database } from "./db/database.ts";
import { deliveries } from "./db/schema.ts";
import type { EmailDeliveryPayload } from "./delivery/payloads.ts";
import { renderNotice, TemplateError } from "./templates/index.ts";

/** The account mails auth asks for (`AccountMail` in @platform/contracts): all security mail. */
const ACCOUNT_TEMPLATES = [
  "verify-email",
  "password-reset",
  "account-exists",
  "password-changed",
  "email-change-verify",
  "email-changed",
] as const;

/**
 * The request's envelope; each template's own data is checked by its template (src/templates), which refuses a
 * missing or malformed variable with a `TemplateError` naming it.
 */
const accountMailRequest = z.object({
  userId: z.uuid(),
  to: z.email().max(320),
  localeHint: z.string().min(2).max(35).optional(),
  mail: z.object({ template: z.enum(ACCOUNT_TEMPLATES), data: z.record(z.string(), z.unknown()) }),
});

export type AccountMailRecorded =
  | { readonly ok: true; readonly value: { readonly deliveryId: string } }
  | { readonly ok: false; readonly code: "invalid_request"; readonly reason: string };

/**
 * Records one account mail (docs/notifications.md) as a pending `security` email delivery, rendered in the
 * person's language: their profile's locale, else the request's hint (registration: the profile is being made),
 * else English. Security mail cannot be muted and carries no unsubscribe link. Each request is its own delivery
 * (a fresh dedupe key): asking for a second reset link sends a second mail. The caller tries it at once.
 */
export async function recordAccountMail(
  db: Database,
  users: Pick<UsersRpc, "contactProfile">,
  input: unknown,
  now: Date = new Date(),
): Promise<AccountMailRecorded> {
  const parsed = accountMailRequest.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(request)"}: ${issue.message}`);
    return { ok: false, code: "invalid_request", reason: reason.join("; ") };
  }
  const request = parsed.data;
  const profile = await users.contactProfile(request.userId);
  if (!profile.ok && profile.code === "unavailable") {
    // A reset link must not wait for the profile: the hint's language is a fine second best.
    logLine("warn", "notifications", "account mail without the profile's locale", { userId: request.userId });
  }
  const addressee = profile.ok
    ? profile.value
    : { name: null, locale: request.localeHint ?? DEFAULT_LOCALE, timeZone: DEFAULT_TIME_ZONE };
  let rendered;
  try {
    rendered = renderNotice(
      request.mail.template,
      { ...request.mail.data, name: addressee.name },
      { locale: addressee.locale, timeZone: addressee.timeZone, unsubscribeUrl: null },
    );
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, code: "invalid_request", reason: error.message };
    throw error;
  }
  const payload: EmailDeliveryPayload = { ...rendered.email, headers: {} };
  const deliveryId = uuidv7();
  await db.insert(deliveries).values({
    id: deliveryId,
    userId: request.userId,
    channel: "email",
    category: "security",
    template: request.mail.template,
    locale: rendered.locale,
    recipient: request.to,
    payload: payload as unknown as Record<string, unknown>,
    nextAttemptAt: now,
    causedBy: null,
    dedupeKey: `account-mail:${uuidv7()}`,
  });
  return { ok: true, value: { deliveryId } };
}
