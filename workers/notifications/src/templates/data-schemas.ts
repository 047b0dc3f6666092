import { z } from "zod";
import type { AccountMailTemplate } from "@platform/contracts";

/** Every link in a notice is an absolute http(s) URL: a relative one would point nowhere from a mail client. */
const link = z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" });
const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant" });
const title = z.string().trim().min(1).max(300);
/** The greeting's name; null greets without one. Required, so a caller that forgot it is caught. */
const name = z.string().trim().max(200).nullable();

/** What each template needs: checked before anything is rendered, so a mail is never half-filled. */
export const TEMPLATE_DATA = {
  welcome: z.object({ name, catalogUrl: link }),
  "purchase-confirmed": z.object({ name, courseTitle: title, courseUrl: link }),
  "subscription-started": z.object({ name, interval: z.enum(["month", "year"]), currentPeriodEnd: instant }),
  "subscription-ending": z.object({ name, endsAt: instant }),
  "subscription-ended": z.object({ name, endedAt: instant, catalogUrl: link }),
  "refund-processed": z.object({
    name,
    amountMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"),
    courseTitle: title.nullable(),
  }),
  "course-completed": z.object({ name, courseTitle: title, courseUrl: link, certificateUrl: link }),
  // The account mails: the `data` of AccountMail in @platform/contracts, plus `name`.
  "verify-email": z.object({ name, verifyUrl: link, expiresAt: instant }),
  "password-reset": z.object({ name, resetUrl: link, expiresAt: instant }),
  "account-exists": z.object({ name, signInUrl: link, resetUrl: link }),
  "password-changed": z.object({ name, changedAt: instant }),
  "email-change-verify": z.object({ name, verifyUrl: link, expiresAt: instant }),
  "email-changed": z.object({ name, newEmail: z.string().trim().min(3).max(320), changedAt: instant }),
  // An admin's webhook endpoint the event router disabled: the endpoint is shown as text, never as a link to follow.
  "webhook-endpoint-disabled": z.object({
    name,
    endpoint: z.string().trim().min(1).max(2_048),
    reason: z.string().trim().min(1).max(1_000),
    failedDeliveries: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    disabledAt: instant,
    adminUrl: link,
  }),
} as const satisfies Record<string, z.ZodType>;

export type TemplateName = keyof typeof TEMPLATE_DATA;
export type TemplateData = { [T in TemplateName]: z.infer<(typeof TEMPLATE_DATA)[T]> };

// The contracts' account mails and these templates must not drift apart: a new account mail fails here.
type MissingAccountMail = Exclude<AccountMailTemplate, TemplateName>;
const everyAccountMailHasATemplate: MissingAccountMail extends never ? true : false = true;
void everyAccountMailHasATemplate;
