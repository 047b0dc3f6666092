import type { EventType } from "./catalog.ts";

export type ConsumerBinding = "USERS" | "COURSES" | "PAYMENTS" | "PROGRESS" | "NOTIFICATIONS";

/**
 * Who consumes what: the one list both the event router (which hands each event on) and each
 * consumer (which ignores any other type) read. A Cloudflare Queue has one consumer, so the events
 * worker is it and hands each event to every subscriber by RPC; a subscriber dedupes on the event id, so a message retried
 * because another subscriber failed is applied once by each.
 */
export const SUBSCRIPTIONS: Readonly<Record<ConsumerBinding, readonly EventType[]>> = {
  // Profiles; USER_DELETED erases one and leaves a tombstone so a late USER_CREATED cannot bring it back.
  USERS: ["USER_CREATED", "USER_DELETED"],
  // Access (purchases, refunds, subscriptions, integrators' enrollments), completions, and the
  // catalog cache, which course changes invalidate.
  COURSES: [
    "COURSE_PUBLISHED",
    "COURSE_UPDATED",
    "COURSE_PURCHASED",
    "PAYMENT_REFUNDED",
    "SUBSCRIPTION_CREATED",
    "SUBSCRIPTION_CANCELED",
    "ENROLLMENT_REQUESTED",
    "COURSE_COMPLETED",
    // Erasure: the learner's grants go (docs/identity.md).
    "USER_DELETED",
    // A renamed instructor: the cached name on their courses' outlines is dropped at once.
    "USER_UPDATED",
  ],
  // Erasure only: the bookkeeping rows stay, under a pseudonym (docs/identity.md).
  PAYMENTS: ["USER_DELETED"],
  // Each course's lesson list (re-read from courses when it changes), who enrolled (author analytics),
  // its own COURSE_COMPLETED (certificates), and erasure (docs/progress.md).
  PROGRESS: ["COURSE_PUBLISHED", "COURSE_UPDATED", "COURSE_ACCESS_GRANTED", "COURSE_COMPLETED", "USER_DELETED"],
  // What a person is told about (welcome, purchases, subscriptions, refunds, completions), and erasure of their
  // notices, preferences, push subscriptions and delivery log (docs/notifications.md).
  NOTIFICATIONS: [
    "USER_CREATED",
    "COURSE_ACCESS_GRANTED",
    "SUBSCRIPTION_CREATED",
    "SUBSCRIPTION_CANCELED",
    "PAYMENT_REFUNDED",
    "COURSE_COMPLETED",
    // An admin's webhook endpoint the router disabled after it kept failing (docs/integrators.md#webhooks).
    "WEBHOOK_ENDPOINT_DISABLED",
    "USER_DELETED",
  ],
};

export function subscribersOf(type: string): ConsumerBinding[] {
  return (Object.keys(SUBSCRIPTIONS) as ConsumerBinding[]).filter((binding) =>
    (SUBSCRIPTIONS[binding] as readonly string[]).includes(type),
  );
}
