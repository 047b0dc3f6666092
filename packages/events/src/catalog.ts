import { z } from "zod";

/** The five Kafka topics of the seed; every event type belongs to exactly one. */
export const TOPICS = ["user-events", "course-events", "payment-events", "progress-events", "notification-events"] as const;
export type Topic = (typeof TOPICS)[number];

const role = z.enum(["learner", "instructor", "admin"]);

/**
 * Every event type the platform emits: its topic, schema version and data schema, and which
 * field is the aggregate key. Writing an event whose data fails its schema throws at the writer.
 * (The event backbone adds the course, payment, progress and notification events here.)
 */
export const EVENT_CATALOG = {
  USER_CREATED: {
    topic: "user-events",
    version: 1,
    data: z.object({
      userId: z.uuid(),
      email: z.email(),
      name: z.string().min(1).max(200),
      roles: z.array(role).min(1),
    }),
    aggregateId: (data: { userId: string }) => data.userId,
  },
  USER_UPDATED: {
    topic: "user-events",
    version: 1,
    data: z.object({
      userId: z.uuid(),
      roles: z.array(role).min(1).optional(),
      status: z.enum(["active", "disabled"]).optional(),
      name: z.string().min(1).max(200).optional(),
      avatarUrl: z.url().nullable().optional(),
      locale: z.string().min(2).max(35).optional(),
      timeZone: z.string().min(1).max(64).optional(),
    }),
    aggregateId: (data: { userId: string }) => data.userId,
  },
  USER_DELETED: {
    topic: "user-events",
    version: 1,
    data: z.object({ userId: z.uuid() }),
    aggregateId: (data: { userId: string }) => data.userId,
  },
} as const satisfies Record<
  string,
  { topic: Topic; version: number; data: z.ZodType; aggregateId: (data: never) => string }
>;

export type EventType = keyof typeof EVENT_CATALOG;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOG)[T]["data"]>;
