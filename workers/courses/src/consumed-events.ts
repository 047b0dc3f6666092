/** The event types the event router hands this worker (see workers/events/src/subscriptions.ts). */
export const COURSES_CONSUMES = [
  "COURSE_PUBLISHED",
  "COURSE_UPDATED",
  "COURSE_PURCHASED",
  "PAYMENT_REFUNDED",
  "SUBSCRIPTION_CREATED",
  "SUBSCRIPTION_CANCELED",
  "ENROLLMENT_REQUESTED",
  "COURSE_COMPLETED",
] as const;
