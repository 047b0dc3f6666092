import type { Channel } from "../preferences/categories.ts";
import type { Database } from "../db/database.ts";
import type { ClaimedDelivery } from "./claim.ts";

/**
 * What one attempt came to, whatever the channel: the email transport's and Web Push's results, and `gone` for a
 * push subscription its service no longer knows (404/410).
 */
export type AttemptResult =
  | { readonly outcome: "accepted"; readonly providerId: string }
  | { readonly outcome: "temporary"; readonly error: string }
  | { readonly outcome: "permanent"; readonly error: string }
  | { readonly outcome: "gone"; readonly error: string };

/** Tries one claimed delivery on its channel. Never called inside a transaction: it talks to the world. */
export type ChannelSender = (db: Database, delivery: ClaimedDelivery, now: Date) => Promise<AttemptResult>;

export type ChannelSenders = Readonly<Record<Channel, ChannelSender>>;
