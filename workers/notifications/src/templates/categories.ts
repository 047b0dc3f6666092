import type { TemplateName } from "./data-schemas.ts";

/** What a notice is about: a person's preferences, and unsubscribe links, are per category. */
export type Category = "security" | "purchases" | "subscriptions" | "learning" | "onboarding";

export const TEMPLATE_CATEGORY: Readonly<Record<TemplateName, Category>> = {
  welcome: "onboarding",
  "purchase-confirmed": "purchases",
  "refund-processed": "purchases",
  "subscription-started": "subscriptions",
  "subscription-ending": "subscriptions",
  "subscription-ended": "subscriptions",
  "course-completed": "learning",
  // Account mails tell a person what happens to their account: nobody can turn them off.
  "verify-email": "security",
  "password-reset": "security",
  "account-exists": "security",
  "password-changed": "security",
  "email-change-verify": "security",
  "email-changed": "security",
  // An integration of the admin's that stopped working: operational, and not for muting by mail with the marketing-ish
  // categories; it is how an admin learns that the platform stopped telling their systems anything.
  "webhook-endpoint-disabled": "security",
};
