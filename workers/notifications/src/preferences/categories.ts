import { categoryEnum, channelEnum } from "../db/schema.ts";

/**
 * What a notice is about and how it reaches a person, taken from the schema's enums so the API, the
 * database and the delivery code cannot disagree on the list.
 */
export const CATEGORIES = categoryEnum.enumValues;
export const CHANNELS = channelEnum.enumValues;

export type Category = (typeof CATEGORIES)[number];
export type Channel = (typeof CHANNELS)[number];

export const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);
export const isChannel = (value: string): value is Channel => (CHANNELS as readonly string[]).includes(value);

/**
 * Security mail (a password or address changed, a reset was asked for) is how a person learns that someone
 * else is in their account: muting it would help exactly that someone, so it stays on.
 */
export const isLocked = (category: Category, channel: Channel): boolean =>
  category === "security" && channel === "email";

/** What each category covers, as the preferences page and the unsubscribe page say it. */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  security: "Sign-in, password and email address changes on your account, and webhook endpoints disabled for failing",
  purchases: "Purchase confirmations and refunds",
  subscriptions: "When your subscription starts, is about to end, and ends",
  learning: "Course completions and certificates",
  onboarding: "Welcome and getting started",
};
